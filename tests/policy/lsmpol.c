// SPDX-License-Identifier: GPL-2.0
/*
 * lsmpol: the few system calls guest/policy-tests.sh needs that busybox lacks.
 *
 *   lsmpol load FILE DEST            write FILE to DEST in one write(2) (selinuxfs load,
 *                                    apparmor .load and smackfs load2 want whole policies)
 *   lsmpol setxattr PATH NAME VALUE  set an extended attribute (security.selinux,
 *                                    security.SMACK64), VALUE written without a NUL
 *   lsmpol getxattr PATH NAME        print an extended attribute
 *   lsmpol listxattr PATH            print the names of the extended attributes the
 *                                    filesystem stores for PATH, one a line
 *   lsmpol socketxattrs              the same for a new Unix socket (flistxattr(2)),
 *                                    whose names come from the security modules
 *   lsmpol read PATH                 open and read PATH; print the outcome and the
 *                                    caller's security context; exit 0 if it could read,
 *                                    13 on EACCES, 1 on any other error
 *   lsmpol exec ATTR VALUE PROG ARG...  write VALUE to the /proc attribute file ATTR
 *                                    (e.g. /proc/self/attr/exec), then execv(PROG, ARG...)
 *   lsmpol context                   print the caller's contexts: "module=context; ..."
 *   lsmpol interface MODULE          make MODULE the interface module (write it to
 *                                    /proc/self/attr/interface_lsm); print the outcome
 *                                    and the caller's contexts; exit 0 if it could, 13 on
 *                                    EACCES, 1 on any other error
 *   lsmpol ptrace-parent             a child without CAP_SYS_PTRACE tries PTRACE_SEIZE on
 *                                    this process (not its descendant, which Yama's
 *                                    ptrace_scope=1 forbids); exit 0 if it could, 1 on
 *                                    EPERM, 13 on EACCES, 2 on any other error
 *   lsmpol landlock-read PATH        enter a Landlock sandbox that allows no file reads,
 *                                    then "read PATH" (13: Landlock's EACCES)
 *   lsmpol mount SOURCE DIR TYPE DATA  mount(2) with DATA as the options string (busybox
 *                                    mount cannot pass NFSv4's text options); exit 1 if
 *                                    it fails
 *   lsmpol cachefiles DIR CONTEXT    act as cachefilesd: open /dev/cachefiles, send
 *                                    "dir DIR", "secctx CONTEXT" and "bind", then close it
 *                                    (which unbinds); print each command's outcome and the
 *                                    caller's contexts; exit 0 if the cache was bound, else
 *                                    the errno of the step that failed (13 EACCES, 22
 *                                    EINVAL, 95 EOPNOTSUPP)
 *
 * Statically linked: the guest has no C library.
 */
#include <errno.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <unistd.h>

/* Landlock's ABI 1, spelled out: the build host's headers may predate it. */
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_restrict_self	446
#endif
#define LSMPOL_LANDLOCK_READ_FILE	(1ULL << 2)

/* Per-module attribute files, then the shared one (the only one SELinux has in 6.1). */
static const char *const attr_files[][2] = {
	{ "selinux", "/proc/self/attr/selinux/current" },
	{ "apparmor", "/proc/self/attr/apparmor/current" },
	{ "smack", "/proc/self/attr/smack/current" },
	{ "current", "/proc/self/attr/current" },
};

/*
 * The caller's contexts, "module=context" for every attribute file that reads, joined by
 * "; " (e.g. "apparmor=lsmtest (enforce); current=lsmtest (enforce)").
 */
static void context(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(attr_files) / sizeof(attr_files[0]); i++) {
		char val[256];
		ssize_t n;
		int fd = open(attr_files[i][1], O_RDONLY);

		if (fd < 0)
			continue;
		n = read(fd, val, sizeof(val) - 1);
		close(fd);
		while (n > 0 && (val[n - 1] == '\n' || val[n - 1] == '\0'))
			n--;
		if (n <= 0)
			continue;
		val[n] = '\0';
		used += snprintf(buf + used, len - used, "%s%s=%s", used ? "; " : "",
				 attr_files[i][0], val);
		if (used >= len)
			break;
	}
	if (!buf[0])
		snprintf(buf, len, "?");
}

static int do_load(const char *file, const char *dest)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "lsmpol: %s: %s\n", file, strerror(errno));
		return 1;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		fprintf(stderr, "lsmpol: reading %s failed\n", file);
		return 1;
	}
	close(fd);
	fd = open(dest, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "lsmpol: %s: %s\n", dest, strerror(errno));
		return 1;
	}
	n = write(fd, buf, st.st_size);
	if (n != st.st_size) {
		fprintf(stderr, "lsmpol: loading %s into %s: %s\n", file, dest,
			n < 0 ? strerror(errno) : "short write");
		return 1;
	}
	close(fd);
	printf("lsmpol: loaded %s (%lld bytes) into %s\n", file, (long long)st.st_size, dest);
	return 0;
}

/* Read @path as the caller, whose contexts @ctx (NULL: look them up) names. */
static int do_read_as(const char *path, const char *ctx)
{
	char here[1024], buf[4096];
	int fd, err;

	if (!ctx) {
		context(here, sizeof(here));
		ctx = here;
	}
	fd = open(path, O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) >= 0) {
		printf("lsmpol: read %s as '%s': allowed\n", path, ctx);
		return 0;
	}
	err = errno;
	printf("lsmpol: read %s as '%s': %s (%s)\n", path, ctx,
	       err == EACCES ? "EACCES" : "error", strerror(err));
	return err == EACCES ? 13 : 1;
}

static int do_read(const char *path)
{
	return do_read_as(path, NULL);
}

static int do_ptrace_parent(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	pid_t parent = getpid(), pid;
	char ctx[1024];
	int status;

	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		if (syscall(SYS_capget, &hdr, data))
			_exit(2);
		data[CAP_TO_INDEX(CAP_SYS_PTRACE)].effective &= ~CAP_TO_MASK(CAP_SYS_PTRACE);
		if (syscall(SYS_capset, &hdr, data))
			_exit(2);
		/* Leaving the child ends the trace: the parent never stops. */
		if (ptrace(PTRACE_SEIZE, parent, 0, 0) == 0)
			_exit(0);
		_exit(errno == EPERM ? 1 : errno == EACCES ? 13 : 2);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 2;
	context(ctx, sizeof(ctx));
	printf("lsmpol: PTRACE_SEIZE of pid %d ('%s') by its child: %s\n", (int)parent, ctx,
	       WEXITSTATUS(status) == 0 ? "allowed" : WEXITSTATUS(status) == 1 ? "EPERM" :
	       WEXITSTATUS(status) == 13 ? "EACCES" : "error");
	return WEXITSTATUS(status);
}

static int do_landlock_read(const char *path)
{
	__u64 handled = LSMPOL_LANDLOCK_READ_FILE;	/* struct landlock_ruleset_attr */
	char ctx[1024];
	int fd;

	/* The sandbox will not let it read its contexts in /proc. */
	context(ctx, sizeof(ctx));
	fd = syscall(__NR_landlock_create_ruleset, &handled, sizeof(handled), 0);
	if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(__NR_landlock_restrict_self, fd, 0)) {
		fprintf(stderr, "lsmpol: landlock: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("lsmpol: in a Landlock sandbox that allows no file reads\n");
	return do_read_as(path, ctx);
}

static int do_interface(const char *module)
{
	static const char path[] = "/proc/self/attr/interface_lsm";
	char ctx[1024];
	int fd, rc = 0;

	context(ctx, sizeof(ctx));
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, module, strlen(module)) < 0)
		rc = errno;
	if (fd >= 0)
		close(fd);
	printf("interface %s: %s; %s\n", module, rc ? strerror(rc) : "ok", ctx);
	return rc == EACCES ? 13 : rc ? 1 : 0;
}

/* Print the module /proc/self/attr/interface_lsm names, and the task's labels. */
static int do_show_interface(void)
{
	char name[64], ctx[1024];
	ssize_t n;
	int fd;

	context(ctx, sizeof(ctx));
	fd = open("/proc/self/attr/interface_lsm", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, name, sizeof(name) - 1);
	if (n < 0) {
		fprintf(stderr, "lsmpol: reading interface_lsm: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	while (n > 0 && name[n - 1] == '\n')
		n--;
	name[n] = '\0';
	printf("interface_lsm=%s; %s\n", name, ctx);
	return 0;
}

static int do_cachefiles(const char *dir, const char *secctx)
{
	const char *const cmd[] = { "dir", "secctx", "bind" };
	const char *const arg[] = { dir, secctx, NULL };
	char buf[4096], ctx[1024];
	unsigned int i;
	int fd, rc = 0;

	context(ctx, sizeof(ctx));
	fd = open("/dev/cachefiles", O_RDWR);
	if (fd < 0) {
		rc = errno;
		printf("cachefiles: open /dev/cachefiles: %s; %s\n", strerror(rc), ctx);
		return rc;
	}
	printf("cachefiles:");
	for (i = 0; i < sizeof(cmd) / sizeof(cmd[0]) && !rc; i++) {
		if (snprintf(buf, sizeof(buf), "%s%s%s", cmd[i], arg[i] ? " " : "",
			     arg[i] ? arg[i] : "") >= (int)sizeof(buf))
			rc = ENAMETOOLONG;
		else if (write(fd, buf, strlen(buf)) < 0)
			rc = errno;
		printf(" %s: %s;", buf, rc ? strerror(rc) : "ok");
	}
	printf(" %s\n", ctx);
	close(fd);
	return rc;
}

static int do_exec(const char *attr, const char *value, char **argv)
{
	int fd = open(attr, O_WRONLY);

	if (fd < 0 || write(fd, value, strlen(value)) < 0) {
		fprintf(stderr, "lsmpol: writing '%s' to %s: %s\n", value, attr, strerror(errno));
		return 1;
	}
	close(fd);
	execv(argv[0], argv);
	fprintf(stderr, "lsmpol: exec %s: %s\n", argv[0], strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char buf[1024];
	ssize_t n;

	if (argc == 4 && !strcmp(argv[1], "load"))
		return do_load(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "setxattr")) {
		if (setxattr(argv[2], argv[3], argv[4], strlen(argv[4]), 0) < 0) {
			fprintf(stderr, "lsmpol: setxattr %s %s=%s: %s\n", argv[2], argv[3],
				argv[4], strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "getxattr")) {
		n = getxattr(argv[2], argv[3], buf, sizeof(buf) - 1);
		if (n < 0) {
			fprintf(stderr, "lsmpol: getxattr %s %s: %s\n", argv[2], argv[3],
				strerror(errno));
			return 1;
		}
		buf[n] = '\0';
		printf("%s\n", buf);
		return 0;
	}
	if ((argc == 3 && !strcmp(argv[1], "listxattr")) ||
	    (argc == 2 && !strcmp(argv[1], "socketxattrs"))) {
		int fd = argc == 2 ? socket(AF_UNIX, SOCK_STREAM, 0) : -1;
		char *p;

		n = argc == 2 ? flistxattr(fd, buf, sizeof(buf)) :
				listxattr(argv[2], buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "lsmpol: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		for (p = buf; p < buf + n; p += strlen(p) + 1)
			printf("%s\n", p);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "read"))
		return do_read(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "ptrace-parent"))
		return do_ptrace_parent();
	if (argc == 3 && !strcmp(argv[1], "landlock-read"))
		return do_landlock_read(argv[2]);
	if (argc >= 5 && !strcmp(argv[1], "exec"))
		return do_exec(argv[2], argv[3], argv + 4);
	if (argc == 6 && !strcmp(argv[1], "mount")) {
		if (mount(argv[2], argv[3], argv[4], 0, argv[5]) < 0) {
			fprintf(stderr, "lsmpol: mount %s on %s (%s, %s): %s\n", argv[2], argv[3],
				argv[4], argv[5], strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "cachefiles"))
		return do_cachefiles(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "interface"))
		return do_interface(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "show-interface"))
		return do_show_interface();
	if (argc == 2 && !strcmp(argv[1], "context")) {
		context(buf, sizeof(buf));
		printf("%s\n", buf);
		return 0;
	}
	fprintf(stderr, "usage: lsmpol load FILE DEST | setxattr PATH NAME VALUE |\n"
		"       getxattr PATH NAME | listxattr PATH | socketxattrs |\n"
		"       ptrace-parent | landlock-read PATH | read PATH | exec ATTR VALUE PROG [ARG...] |\n"
		"       interface MODULE | show-interface | cachefiles DIR CONTEXT | context |\n"
		"       mount SOURCE DIR TYPE DATA\n");
	return 2;
}
