// SPDX-License-Identifier: GPL-2.0
/*
 * lsmbench: the cost of hook-heavy system calls, for make bench.
 *
 *   lsmbench [-s SCALE] [-r REPS] [-w NAME,...] [-p PID] [-k] [-l] [-t NAME]
 *
 * Runs each workload REPS times (default 3) for a fixed count of operations
 * (its own count times SCALE, default 1), after one untimed run of a tenth
 * of it, and reports in KTAP, a test a workload, each after a line
 *
 *   # lsmstack-bench: NAME OPS MEDIAN MIN MAX
 *
 * MEDIAN, MIN and MAX are nanoseconds an operation (CLOCK_MONOTONIC, three
 * decimals) over the REPS runs. Under QEMU's -icount shift=0,sleep=off the
 * guest's clock advances one nanosecond an instruction, so they count
 * instructions. A workload the kernel cannot run is skipped: the LSM system
 * calls on a kernel without them (stock 6.1, ENOSYS), a process attribute
 * no active module has (EINVAL, EOPNOTSUPP), LSM_FLAG_SINGLE where no major
 * module is active. With -k the kernel must have the LSM system calls: their
 * ENOSYS fails instead. Any other error of a workload's operation fails it.
 * -p PID first forks children until one has a pid of at least PID, and
 * keeps that one asleep (see pids_from()). -l lists the workloads. Statically linked: the guest has no
 * C library.
 *
 * -t NAME is make bench-trace's: NAME's operation runs 100 times untimed,
 * then once between two markers, system call TRACE_NR (unassigned in 6.1
 * and in the series, so ENOSYS) with TRACE_MAGIC as its first argument. A
 * debugger that stops at the first marker and steps to the second has the
 * instructions of one operation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/lsm.h>

/* The LSM system calls: mainline's numbers, whatever the build host's headers say. */
#define NR_SELF_ATTR	459
#define NR_MODULE_LIST	461

#define DIR		"/tmp/lsmbench"
#define FILE_PATH	DIR "/file"
#define MAXREPS		15

/* make bench-trace's markers (scripts/bench-trace.py looks for them). */
#define TRACE_NR	400
#define TRACE_MAGIC	0x6c736d7472616365L	/* "lsmtrace" */

static char self_path[256];
static int file_fd, pipe_fd[2], unix_pair[2], pass_pair[2];
static unsigned char buf[8192] __attribute__((aligned(8)));
static char cmsg_buf[256] __attribute__((aligned(8)));

/* The first active major module with a "current" attribute, for LSM_FLAG_SINGLE. */
static uint64_t single_id;

static void die(const char *what)
{
	fprintf(stderr, "lsmbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int op_getppid(void)
{
	return syscall(SYS_getppid) < 0;
}

static int op_stat(void)
{
	struct stat st;

	return stat(FILE_PATH, &st);
}

static int op_open_close(void)
{
	int fd = open(FILE_PATH, O_RDONLY);

	return fd < 0 || close(fd);
}

static int op_pread(void)
{
	return pread(file_fd, buf, 64, 0) != 64;
}

static int op_pipe(void)
{
	return write(pipe_fd[1], buf, 1) != 1 || read(pipe_fd[0], buf, 1) != 1;
}

static int op_dup_close(void)
{
	int fd = dup(file_fd);

	return fd < 0 || close(fd);
}

static int new_socket(int family, int type)
{
	int fd = socket(family, type, 0);

	return fd < 0 || close(fd);
}

static int op_socket_unix(void)
{
	return new_socket(AF_UNIX, SOCK_STREAM);
}

static int op_socket_inet(void)
{
	return new_socket(AF_INET, SOCK_STREAM);
}

static int op_unix_send_recv(void)
{
	return send(unix_pair[0], buf, 16, 0) != 16 ||
	       recv(unix_pair[1], buf, 16, 0) != 16;
}

/* The same with SO_PASSSEC: every datagram carries its sender's context. */
static int op_unix_send_recv_passsec(void)
{
	struct iovec iov = { .iov_base = buf, .iov_len = 16 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cmsg_buf, .msg_controllen = sizeof(cmsg_buf),
	};

	return send(pass_pair[0], buf, 16, 0) != 16 ||
	       recvmsg(pass_pair[1], &msg, 0) != 16;
}

static int op_creat_unlink(void)
{
	int fd = creat(DIR "/new", 0600);

	return fd < 0 || close(fd) || unlink(DIR "/new");
}

static int wait_child(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

static int op_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	return wait_child(pid);
}

static int op_fork_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "lsmbench", "-x", NULL };

		execv(self_path, argv);
		_exit(127);
	}
	return wait_child(pid);
}

static int self_attr(uint32_t attr, uint32_t flags)
{
	struct lsm_ctx *ctx = (struct lsm_ctx *)buf;
	uint32_t size = sizeof(buf);

	if (flags & LSM_FLAG_SINGLE)
		ctx->id = single_id;
	return syscall(NR_SELF_ATTR, attr, ctx, &size, flags) < 0;
}

static int op_lsm_self_attr(void)
{
	return self_attr(LSM_ATTR_CURRENT, 0);
}

static int op_lsm_self_attr_single(void)
{
	return self_attr(LSM_ATTR_CURRENT, LSM_FLAG_SINGLE);
}

/* attr 0: every attribute of every module, the series' extension. */
static int op_lsm_self_attr_all(void)
{
	return self_attr(LSM_ATTR_UNDEF, 0);
}

static int read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 1;
	n = read(fd, buf, sizeof(buf));
	return close(fd) || n < 0;
}

static int op_proc_attr_current(void)
{
	return read_file("/proc/self/attr/current");
}

static int op_lsm_module_list(void)
{
	uint32_t size = sizeof(buf);

	return syscall(NR_MODULE_LIST, buf, &size, 0) < 0;
}

static int op_securityfs_lsm(void)
{
	return read_file("/sys/kernel/security/lsm");
}

struct workload {
	const char *name;
	int (*op)(void);
	long count;
	const char *needs;	/* the system call or module it needs, or NULL */
};

static const struct workload workloads[] = {
	{ "getppid", op_getppid, 40000, NULL },
	{ "stat", op_stat, 10000, NULL },
	{ "open_close", op_open_close, 5000, NULL },
	{ "pread", op_pread, 20000, NULL },
	{ "pipe_write_read", op_pipe, 10000, NULL },
	{ "dup_close", op_dup_close, 20000, NULL },
	{ "socket_unix", op_socket_unix, 3000, NULL },
	{ "socket_inet", op_socket_inet, 3000, NULL },
	{ "unix_send_recv", op_unix_send_recv, 5000, NULL },
	{ "unix_send_recv_passsec", op_unix_send_recv_passsec, 5000, NULL },
	{ "creat_unlink", op_creat_unlink, 2000, NULL },
	{ "fork_exit_wait", op_fork, 1000, NULL },
	{ "fork_exec", op_fork_exec, 100, NULL },
	{ "lsm_self_attr_current", op_lsm_self_attr, 10000, "self_attr" },
	{ "lsm_self_attr_single", op_lsm_self_attr_single, 10000, "single" },
	{ "lsm_self_attr_all", op_lsm_self_attr_all, 5000, "self_attr" },
	{ "proc_attr_current", op_proc_attr_current, 3000, "proc_attr" },
	{ "lsm_module_list", op_lsm_module_list, 10000, "module_list" },
	{ "securityfs_lsm", op_securityfs_lsm, 3000, "securityfs" },
};

#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Whether errno says that no active module has what was asked for. */
static bool none_has_it(void)
{
	return errno == EINVAL || errno == EOPNOTSUPP;
}

/*
 * Why the kernel cannot run what @needs, or NULL if it can; *@nosys is set
 * when the reason is a missing LSM system call. An error that is neither
 * leaves the workload to run and fail.
 */
static const char *cannot(const char *needs, bool *nosys)
{
	uint32_t size = sizeof(buf);

	*nosys = false;
	if (!needs)
		return NULL;
	if (!strcmp(needs, "module_list")) {
		errno = 0;
		*nosys = syscall(NR_MODULE_LIST, buf, &size, 0) < 0 && errno == ENOSYS;
		return *nosys ? "no lsm_module_list() in this kernel" : NULL;
	}
	if (!strcmp(needs, "securityfs"))
		return access("/sys/kernel/security/lsm", R_OK) ?
		       "no /sys/kernel/security/lsm" : NULL;
	if (!strcmp(needs, "proc_attr"))
		return op_proc_attr_current() && none_has_it() ?
		       "no active module answers /proc/self/attr/current" : NULL;
	errno = 0;
	if (syscall(NR_SELF_ATTR, LSM_ATTR_CURRENT, buf, &size, 0) < 0) {
		*nosys = errno == ENOSYS;
		if (*nosys)
			return "no lsm_self_attr() in this kernel";
		if (none_has_it())
			return "no active module has a current attribute";
	}
	if (!strcmp(needs, "single") && !single_id)
		return "no major module is active";
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Run workload @w as test @t; false if it failed. */
static bool run(int t, const struct workload *w, double scale, int reps,
		bool strict)
{
	long i, n = w->count * scale;
	double per_op[MAXREPS], start, median;
	bool nosys, fails;
	const char *why = cannot(w->needs, &nosys);
	int r;

	if (n < 1)
		n = 1;
	if (why) {
		fails = strict && nosys;
		printf("%s %d %s # %s%s\n", fails ? "not ok" : "ok", t, w->name,
		       fails ? "" : "SKIP ", why);
		return !fails;
	}
	for (r = -1; r < reps; r++) {
		long todo = r < 0 ? n / 10 + 1 : n;

		start = now_ns();
		for (i = 0; i < todo; i++) {
			errno = 0;
			if (w->op()) {
				printf("not ok %d %s # operation %ld failed: %s\n", t,
				       w->name, i,
				       errno ? strerror(errno) : "short transfer or child status");
				return false;
			}
		}
		if (r >= 0)
			per_op[r] = (now_ns() - start) / n;
	}
	qsort(per_op, reps, sizeof(per_op[0]), cmp_double);
	median = reps % 2 ? per_op[reps / 2] :
		 (per_op[reps / 2 - 1] + per_op[reps / 2]) / 2;
	printf("# lsmstack-bench: %s %ld %.3f %.3f %.3f\n", w->name, n, median,
	       per_op[0], per_op[reps - 1]);
	printf("ok %d %s\n", t, w->name);
	fflush(stdout);
	return true;
}

/* One operation of @w between two markers, after 100 untimed ones. */
static bool trace(const struct workload *w)
{
	bool failed = false;
	int i;

	for (i = 0; i < 100 && !failed; i++)
		failed = w->op();
	if (!failed) {
		syscall(TRACE_NR, TRACE_MAGIC);
		failed = w->op();
		syscall(TRACE_NR, TRACE_MAGIC);
	}
	printf("%s 1 %s\n", failed ? "not ok" : "ok", w->name);
	return !failed;
}

/* Whether workload @name is in the comma-separated @list (every one if NULL). */
static bool chosen(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	if (!list)
		return true;
	for (; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return true;
	return false;
}

/* The first entry lsm_self_attr(CURRENT) answers is a major module's. */
static void find_single(void)
{
	struct lsm_ctx *ctx = (struct lsm_ctx *)buf;
	uint32_t size = sizeof(buf);

	if (syscall(NR_SELF_ATTR, LSM_ATTR_CURRENT, buf, &size, 0) > 0)
		single_id = ctx->id;
}

/*
 * Fork children until one gets a pid of at least @min_pid, and keep that
 * one asleep until lsmbench exits: every child the workloads fork then
 * gets a pid above @min_pid (guest/bench.sh raises pid_max so that they do
 * not wrap), from a pid IDR that keeps its depth. Without it, the
 * workloads' children got pids from the few hundred the boot had used on,
 * and the runs of fork_exit_wait whose pids were above 4096 (where the
 * IDR, 64 entries a node, needs a third level) cost some 1,200
 * instructions a fork more than those below; how many runs that was
 * depended on how many processes the boot had started.
 */
static void pids_from(long min_pid)
{
	pid_t pid, last = 0;
	int hold[2];
	char c;

	if (min_pid <= 0)
		return;
	/* The sleeper reads until every copy of hold[1] is closed. */
	if (pipe2(hold, O_CLOEXEC))
		die("pipe");
	do {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid && pid < last) {
			fprintf(stderr, "lsmbench: -p %ld: pids wrap below it\n", min_pid);
			exit(1);
		}
		last = pid;
		if (!pid) {
			if (getpid() >= min_pid) {
				close(hold[1]);
				while (read(hold[0], &c, 1) > 0)
					;
			}
			_exit(0);
		}
		if (pid < min_pid && waitpid(pid, NULL, 0) != pid)
			die("waitpid");
	} while (pid < min_pid);
	close(hold[0]);
}

static void setup(void)
{
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	int fd;

	if (n < 0)
		die("readlink /proc/self/exe");
	self_path[n] = '\0';
	if (mkdir(DIR, 0755) && errno != EEXIST)
		die("mkdir " DIR);
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, 4096) != 4096 || close(fd))
		die(FILE_PATH);
	file_fd = open(FILE_PATH, O_RDONLY);
	if (file_fd < 0)
		die(FILE_PATH);
	if (pipe(pipe_fd))
		die("pipe");
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, unix_pair) ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, pass_pair))
		die("socketpair");
	if (setsockopt(pass_pair[1], SOL_SOCKET, SO_PASSSEC, &(int){ 1 }, sizeof(int)))
		die("SO_PASSSEC");
	find_single();
}

int main(int argc, char **argv)
{
	const char *only = NULL, *traced = NULL;
	const struct workload *traced_w = NULL;
	bool strict = false, ok = true;
	double scale = 1;
	long min_pid = 0;
	char *end;
	int opt, reps = 3, t = 0;
	size_t i;

	while ((opt = getopt(argc, argv, "s:r:w:p:klxt:")) != -1) {
		switch (opt) {
		case 's':
			scale = atof(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'w':
			only = optarg;
			break;
		case 'p':
			min_pid = strtol(optarg, &end, 10);
			if (end == optarg || *end || min_pid < 0) {
				fprintf(stderr, "lsmbench: -p must be a pid\n");
				return 2;
			}
			break;
		case 'k':
			strict = true;
			break;
		case 'l':
			for (i = 0; i < NWORKLOADS; i++)
				printf("%s\n", workloads[i].name);
			return 0;
		case 't':
			traced = optarg;
			break;
		case 'x':
			/* fork_exec's child: exit at once. */
			return 0;
		default:
			fprintf(stderr,
				"usage: lsmbench [-s SCALE] [-r REPS] [-w NAME,...] [-p PID] [-k] [-l] [-t NAME]\n");
			return 2;
		}
	}
	if (scale <= 0 || reps < 1 || reps > MAXREPS) {
		fprintf(stderr, "lsmbench: -s must be > 0 and -r 1 to %d\n", MAXREPS);
		return 2;
	}
	for (const char *p = only; p && *p; p += strcspn(p, ",") + !!p[strcspn(p, ",")]) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < NWORKLOADS; i++)
			if (strlen(workloads[i].name) == len &&
			    !strncmp(workloads[i].name, p, len))
				break;
		if (i == NWORKLOADS) {
			fprintf(stderr, "lsmbench: no workload %.*s (-l lists them)\n",
				(int)len, p);
			return 2;
		}
	}
	if (traced) {
		for (i = 0; i < NWORKLOADS; i++)
			if (!strcmp(workloads[i].name, traced))
				traced_w = &workloads[i];
		if (!traced_w) {
			fprintf(stderr, "lsmbench: no workload %s (-l lists them)\n",
				traced);
			return 2;
		}
	}
	setup();
	pids_from(min_pid);
	if (traced_w) {
		printf("KTAP version 1\n1..1\n");
		return trace(traced_w) ? 0 : 1;
	}
	for (i = 0; i < NWORKLOADS; i++)
		t += chosen(only, workloads[i].name);
	printf("KTAP version 1\n1..%d\n", t);
	printf("# lsmbench: scale %g, %d runs a workload\n", scale, reps);
	t = 0;
	for (i = 0; i < NWORKLOADS; i++)
		if (chosen(only, workloads[i].name))
			ok &= run(++t, &workloads[i], scale, reps, strict);
	return ok ? 0 : 1;
}
