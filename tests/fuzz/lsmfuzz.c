// SPDX-License-Identifier: GPL-2.0
/*
 * lsmfuzz: random and mutated calls of the interfaces the series adds and
 * changes, each answer checked against what
 * Documentation/userspace-api/lsm.rst and the man pages promise.
 *
 *   lsmfuzz [-n CALLS] [-s SEED] [-t THREADS] [-b BATCH] [-T SECONDS] [-N NAME] [-F]
 *   lsmfuzz -X PROGRAM [ARGS...]
 *
 * A worker process runs each batch of calls (-b, default 5000) with
 * THREADS threads (default 4), each thread seeded from SEED, the batch
 * number and its own number, so that a batch replays from the seed
 * printed. The worker then exits and takes any label it set with it. A
 * second process sleeps meanwhile, so that another task's
 * /proc/<pid>/attr files are read and written too. With -F each fuzzing
 * thread, once set up, writes 1 to its /proc/thread-self/make-it-fail, so
 * that a kernel with failslab and fail_page_alloc (task-filter=Y) makes
 * allocations fail in its calls only: they must still end in a documented
 * errno. With -X it runs PROGRAM marked the same way from just after its
 * execve() (an exec that failed past its point of no return would kill it
 * before it ran) and exits with its status, 128 + the signal if killed.
 *
 * Interfaces: lsm_self_attr, lsm_set_self_attr and lsm_module_list (sizes
 * around every boundary; NULL, unmapped, unaligned and page-crossing
 * buffers; every attribute and flag; active module IDs and others;
 * malformed struct lsm_ctx on set), the /proc/<pid>/attr files and the
 * modules' directories (self, thread-self, another thread, another
 * process; interface_lsm included, which threads change while others
 * read), SO_PEERSEC, SCM_SECURITY, KEYCTL_GET_SECURITY, and security.*
 * xattrs of a tmpfs file and a socket.
 *
 * An anomaly fails the interface's test and is printed with its batch: an
 * errno the interface does not document, EFAULT where every pointer was
 * good, a byte written outside the buffer given, bytes copied on E2BIG,
 * entries that do not parse (sizes, alignment, padding not zeroed, IDs
 * that are not active), a malformed lsm_ctx accepted. A worker killed by
 * a signal fails the "workers" test. Output is KTAP, with the figures in
 * "lsmstack-figure: NAME.INTERFACE CALLS" lines.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <linux/keyctl.h>
#include <linux/lsm.h>

#ifndef SO_PEERSEC
#define SO_PEERSEC	31
#endif
#ifndef SO_PASSSEC
#define SO_PASSSEC	34
#endif
#ifndef SCM_SECURITY
#define SCM_SECURITY	0x03
#endif

#define PAGE		4096
#define ARENA		(2 * PAGE)
#define FILL		0xa5
#define MAX_IDS		32
#define MAX_FILES	64
#define MAX_THREADS	16
#define NERRNO		134
#define SHOWN		8	/* anomalies kept for printing, per interface */

enum iface {
	I_SELF_ATTR,
	I_SET_SELF_ATTR,
	I_MODULE_LIST,
	I_PROC_READ,
	I_PROC_WRITE,
	I_PEERSEC,
	I_SCM_SECURITY,
	I_KEY_SECURITY,
	I_XATTR,
	I_COUNT
};

static const char *const iface_name[I_COUNT] = {
	"lsm_self_attr", "lsm_set_self_attr", "lsm_module_list",
	"proc_attr_read", "proc_attr_write", "so_peersec", "scm_security",
	"keyctl_get_security", "security_xattr",
};

/* Shared by the parent and its workers (MAP_SHARED). */
struct stats {
	uint64_t calls[I_COUNT];
	uint64_t ok[I_COUNT];
	uint64_t errnos[I_COUNT][NERRNO];
	uint64_t anomalies[I_COUNT];
	char shown[I_COUNT][SHOWN][240];
};

static struct stats *st;
static uint64_t seed;
static unsigned int batch, nthreads = 4;
static bool make_it_fail;

/* What a worker finds at its start. */
static uint64_t active_ids[MAX_IDS];
static unsigned int nactive;
static char attr_files[MAX_FILES][48];	/* below /proc/<pid>/attr/ */
static unsigned int nattr_files;
static pid_t other_pid;
static pid_t tids[MAX_THREADS];
static char file_path[64];
static int stream_pair[2] = { -1, -1 }, dgram_pair[2] = { -1, -1 };
static int tcp_client = -1, tcp_server = -1;
static long key_id = -1;

/*
 * A thread's memory for the kernel: two read-write pages, then one that
 * faults; *size lives on a page of its own, so that the arena shows every
 * byte the kernel wrote.
 */
struct arena {
	unsigned char *rw;
	unsigned char *none;
	uint32_t *size;
	uint64_t rng;
	unsigned int index;
};

static uint64_t rnd(struct arena *a)
{
	a->rng ^= a->rng >> 12;
	a->rng ^= a->rng << 25;
	a->rng ^= a->rng >> 27;
	return a->rng * 2685821657736338717ULL;
}

static unsigned int pick(struct arena *a, unsigned int n)
{
	return (unsigned int)(rnd(a) % n);
}

#define PICK(a, array)	((array)[pick((a), sizeof(array) / sizeof((array)[0]))])

static void anomaly(enum iface i, const char *fmt, ...)
{
	uint64_t n = __atomic_fetch_add(&st->anomalies[i], 1, __ATOMIC_RELAXED);
	char *to;
	int len;
	va_list ap;

	if (n >= SHOWN)
		return;
	to = st->shown[i][n];
	len = snprintf(to, sizeof(st->shown[i][n]), "batch %u: ", batch);
	va_start(ap, fmt);
	vsnprintf(to + len, sizeof(st->shown[i][n]) - len, fmt, ap);
	va_end(ap);
}

static void tally(enum iface i, long ret, int err)
{
	__atomic_fetch_add(&st->calls[i], 1, __ATOMIC_RELAXED);
	if (ret >= 0)
		__atomic_fetch_add(&st->ok[i], 1, __ATOMIC_RELAXED);
	else if (err > 0 && err < NERRNO)
		__atomic_fetch_add(&st->errnos[i][err], 1, __ATOMIC_RELAXED);
}

/* Is @err one of the errnos that follow (a list ending in 0)? */
static bool one_of(int err, ...)
{
	va_list ap;
	int e;

	va_start(ap, err);
	while ((e = va_arg(ap, int)) != 0)
		if (e == err)
			break;
	va_end(ap);
	return e != 0;
}

/* A buffer for the kernel and how many bytes from it are mapped. */
struct buf {
	unsigned char *p;
	size_t mapped;
};

/* Whether @b points at memory: neither NULL nor the unmapped address. */
static bool usable(const struct arena *a, struct buf b)
{
	return b.p && b.p != a->none;
}

/*
 * NULL, unmapped, ending at the faulting page (@tail bytes before it),
 * unaligned, or the arena's start. The arena is refilled first.
 */
static struct buf pick_buf(struct arena *a, size_t tail)
{
	struct buf b = { a->rw, ARENA };
	unsigned int k = pick(a, 16);

	memset(a->rw, FILL, ARENA);
	if (tail > ARENA)
		tail = ARENA;
	if (k == 0) {
		b.p = NULL;
		b.mapped = 0;
	} else if (k == 1) {
		b.p = a->none;
		b.mapped = 0;
	} else if (k <= 3) {
		b.p = a->rw + ARENA - tail;
		b.mapped = tail;
	} else if (k <= 5) {
		b.p = a->rw + 1 + pick(a, 7);
		b.mapped = ARENA - (b.p - a->rw);
	}
	return b;
}

/* A size near the boundaries that matter, @needed among them. */
static uint32_t pick_size(struct arena *a, uint32_t needed)
{
	static const uint32_t fixed[] = {
		0, 1, 7, 8, 31, 32, 33, 40, 63, 64, 4095, 4096, 4097, 8192,
		65536, 0x7fffffff, 0x80000000u, 0xffffffffu,
	};
	unsigned int k = pick(a, 8);

	if (k < 3)
		return PICK(a, fixed);
	if (k < 6 && needed)
		return needed - 1 + pick(a, 3);
	return pick(a, ARENA + 1);
}

/* Do the arena's bytes outside [from, from + len) all still hold FILL? */
static bool untouched_outside(struct arena *a, const unsigned char *from,
			      size_t len)
{
	const unsigned char *p;

	for (p = a->rw; p < a->rw + ARENA; p++)
		if (*p != FILL && !(from && p >= from && p < from + len))
			return false;
	return true;
}

static bool is_active(uint64_t id)
{
	unsigned int i;

	for (i = 0; i < nactive; i++)
		if (active_ids[i] == id)
			return true;
	return false;
}

/* An LSM_ATTR_* value other than LSM_ATTR_UNDEF? */
static bool known_attr(uint64_t attr)
{
	return (attr >= LSM_ATTR_CURRENT && attr <= LSM_ATTR_SOCKCREATE) ||
	       attr == LSM_ATTR_INTERFACE_LSM;
}

static uint32_t pick_attr(struct arena *a)
{
	static const uint32_t attrs[] = {
		LSM_ATTR_UNDEF, LSM_ATTR_CURRENT, LSM_ATTR_EXEC,
		LSM_ATTR_FSCREATE, LSM_ATTR_KEYCREATE, LSM_ATTR_PREV,
		LSM_ATTR_SOCKCREATE, LSM_ATTR_INTERFACE_LSM, 1, 99, 106, 999,
		1001, 0xffffffffu,
	};

	return PICK(a, attrs);
}

static uint64_t pick_id(struct arena *a)
{
	static const uint64_t others[] = {
		0, 1, 99, 100, 101, 102, 103, 104, 105, 109, 110, 111, 112,
		113, 0x100000065ULL, 0xffffffffffffffffULL,
	};

	if (nactive && pick(a, 2))
		return active_ids[pick(a, nactive)];
	return PICK(a, others);
}

static uint32_t pick_flags(struct arena *a)
{
	static const uint32_t flags[] = {
		0, 0, 0, LSM_FLAG_SINGLE, LSM_FLAG_SINGLE, 2, 3, 0x80000000u,
		0xffffffffu,
	};

	return PICK(a, flags);
}

/* The arena's *size slot: the slot, NULL, or an unmapped address. */
static uint32_t *pick_sizep(struct arena *a)
{
	switch (pick(a, 12)) {
	case 0:
		return NULL;
	case 1:
		return (uint32_t *)a->none;
	default:
		return a->size;
	}
}

/*
 * What is wrong with the @n entries lsm_self_attr() stored in @size bytes
 * at @p, or NULL.
 */
static const char *bad_entries(const unsigned char *p, uint32_t size, long n,
			       uint32_t attr, uint32_t flags, uint64_t want)
{
	uint32_t off = 0;
	long i;

	if ((flags & LSM_FLAG_SINGLE) && n != 1)
		return "LSM_FLAG_SINGLE gave other than one entry";
	for (i = 0; i < n; i++) {
		struct lsm_ctx c;
		uint64_t j;

		if (size - off < sizeof(c))
			return "the entries run past *size";
		memcpy(&c, p + off, sizeof(c));
		if (c.len < sizeof(c) || c.len % 8 || c.len > size - off)
			return "an entry's len is not 8-aligned within *size";
		if (c.ctx_len > c.len - sizeof(c))
			return "ctx_len does not fit in len";
		for (j = sizeof(c) + c.ctx_len; j < c.len; j++)
			if (p[off + j])
				return "the padding after ctx is not zeroed";
		if (!is_active(c.id))
			return "an entry's id is not an active module";
		if ((flags & LSM_FLAG_SINGLE) && c.id != want)
			return "LSM_FLAG_SINGLE answered for another module";
		if (attr != LSM_ATTR_UNDEF && c.flags)
			return "an entry's flags is not 0 for one attribute";
		if (attr == LSM_ATTR_UNDEF && !known_attr(c.flags))
			return "an entry's flags is not its LSM_ATTR_* value";
		off += c.len;
	}
	return off == size ? NULL : "*size is not the sum of the entries' len";
}

static void fuzz_self_attr(struct arena *a)
{
	uint32_t attr = pick_attr(a), flags = pick_flags(a);
	uint64_t want = pick_id(a);
	struct buf ctx = pick_buf(a, pick(a, 2) ? 64 : 512);
	uint32_t *sizep = pick_sizep(a);
	uint32_t in = pick_size(a, 64), out;
	bool sized = sizep == a->size;
	long ret;
	int err;

	*a->size = in;
	if (ctx.mapped >= sizeof(struct lsm_ctx) && (flags & LSM_FLAG_SINGLE))
		memcpy(ctx.p, &want, sizeof(want));
	ret = syscall(__NR_lsm_self_attr, attr, ctx.p, sizep, flags);
	err = ret < 0 ? errno : 0;
	tally(I_SELF_ATTR, ret, err);
	out = *a->size;

	if (ret < 0) {
		if (!one_of(err, EINVAL, EOPNOTSUPP, E2BIG, ENOENT, EFAULT,
			    ENOMEM, 0))
			anomaly(I_SELF_ATTR, "attr %u flags %#x size %u: errno %d",
				attr, flags, in, err);
		else if (err == EFAULT && sized && usable(a, ctx) &&
			 ctx.mapped >= in)
			anomaly(I_SELF_ATTR, "attr %u flags %#x size %u: EFAULT, all pointers good",
				attr, flags, in);
		else if (err == E2BIG && (out <= in || !untouched_outside(a, ctx.p, (flags & LSM_FLAG_SINGLE) ? 8 : 0)))
			anomaly(I_SELF_ATTR, "attr %u flags %#x size %u: E2BIG with *size %u or a copy",
				attr, flags, in, out);
		else if ((err == EINVAL || err == ENOENT) && out != in)
			anomaly(I_SELF_ATTR, "attr %u flags %#x: errno %d changed *size",
				attr, flags, err);
		else if (err == EOPNOTSUPP && sized && out != 0)
			anomaly(I_SELF_ATTR, "attr %u flags %#x: EOPNOTSUPP left *size %u",
				attr, flags, out);
		return;
	}
	if (flags & ~LSM_FLAG_SINGLE) {
		anomaly(I_SELF_ATTR, "attr %u: success with flags %#x", attr, flags);
	} else if (attr != LSM_ATTR_UNDEF && !known_attr(attr)) {
		anomaly(I_SELF_ATTR, "attr %u: success for no such attribute", attr);
	} else if (!sized) {
		anomaly(I_SELF_ATTR, "attr %u: success without *size", attr);
	} else if (out > in || (ctx.p && out > ctx.mapped)) {
		anomaly(I_SELF_ATTR, "attr %u: success, *size %u > %u", attr, out, in);
	} else if (ctx.p) {
		const char *why = bad_entries(ctx.p, out, ret, attr, flags, want);

		if (why)
			anomaly(I_SELF_ATTR, "attr %u flags %#x: %s", attr, flags, why);
		else if (!untouched_outside(a, ctx.p, out))
			anomaly(I_SELF_ATTR, "attr %u flags %#x: bytes written past *size %u",
				attr, flags, out);
	} else if (!untouched_outside(a, NULL, 0)) {
		anomaly(I_SELF_ATTR, "attr %u: bytes written with ctx NULL", attr);
	}
}

/* Labels a set may try: few, so that Smack does not grow a label a call. */
static const char *const labels[] = {
	"", "\n", "_", "*", "^", "unconfined", "LsmFuzzA", "LsmFuzzB",
	"system_u:object_r:tmp_t:s0", "system_u:system_r:kernel_t:s0",
	"changeprofile unconfined", "changehat 0^lsmfuzz", "stack lsmfuzz",
	"-bad", "bad/label", "bad label", "selinux", "smack", "apparmor",
	"capability", "yama", "landlock", "nosuch",
};

static void fill_value(struct arena *a, unsigned char *p, size_t len)
{
	const char *l = PICK(a, labels);
	size_t i, n = strlen(l);

	for (i = 0; i < len; i++)
		p[i] = pick(a, 4) ? (unsigned char)(n ? l[i % n] : 0) :
				    (unsigned char)rnd(a);
}

static void fuzz_set_self_attr(struct arena *a)
{
	uint32_t attr = pick_attr(a), flags = pick(a, 6) ? 0 : pick_flags(a);
	struct buf b = pick_buf(a, 256);
	struct lsm_ctx c = { .id = pick_id(a) };
	const char *label = PICK(a, labels);
	uint32_t size;
	bool sane;
	long ret;
	int err;

	c.ctx_len = strlen(label) + pick(a, 2);	/* with or without its NUL */
	c.len = sizeof(c) + c.ctx_len;
	switch (pick(a, 8)) {	/* malformed now and then */
	case 0:
		c.len = pick(a, 40);
		break;
	case 1:
		c.ctx_len = c.len - sizeof(c) + 1 + pick(a, 100);
		break;
	case 2:
		c.len = 0xffffffffffffffffULL - pick(a, 8);
		break;
	case 3:
		c.ctx_len = 0;
		c.len = sizeof(c);
		break;
	}
	size = pick(a, 4) ? (uint32_t)c.len + pick(a, 16) : pick_size(a, c.len);
	if (attr == LSM_ATTR_INTERFACE_LSM && pick(a, 2)) {
		c.ctx_len = 0;
		c.len = sizeof(c);
		size = sizeof(c);
	}
	if (usable(a, b)) {
		size_t n = b.mapped < sizeof(c) ? b.mapped : sizeof(c);

		memcpy(b.p, &c, n);
		if (b.mapped > sizeof(c))
			memcpy(b.p + sizeof(c), label,
			       strlen(label) + 1 < b.mapped - sizeof(c) ?
			       strlen(label) + 1 : b.mapped - sizeof(c));
		if (pick(a, 8) == 0 && b.mapped > sizeof(c) + 8)
			fill_value(a, b.p + sizeof(c), b.mapped - sizeof(c) > 300 ?
				   300 : b.mapped - sizeof(c));
	}
	sane = usable(a, b) && b.mapped >= size && size <= PAGE;
	ret = syscall(__NR_lsm_set_self_attr, attr, b.p, size, flags);
	err = ret < 0 ? errno : 0;
	tally(I_SET_SELF_ATTR, ret, err);

	if (ret == 0) {
		if (flags || size < sizeof(c) || size > PAGE ||
		    c.len < sizeof(c) || c.len > size ||
		    c.ctx_len > c.len - sizeof(c) || !is_active(c.id) ||
		    !known_attr(attr) ||
		    (attr == LSM_ATTR_INTERFACE_LSM && c.ctx_len))
			anomaly(I_SET_SELF_ATTR, "attr %u flags %#x size %u len %llu ctx_len %llu: accepted",
				attr, flags, size, (unsigned long long)c.len,
				(unsigned long long)c.ctx_len);
		return;
	}
	if (one_of(err, ENOSYS, ENOTTY, EBADF, ESRCH, 0) || err >= NERRNO)
		anomaly(I_SET_SELF_ATTR, "attr %u id %llu size %u: errno %d", attr,
			(unsigned long long)c.id, size, err);
	else if (err == EFAULT && sane)
		anomaly(I_SET_SELF_ATTR, "attr %u size %u: EFAULT, the buffer was good",
			attr, size);
	else if (err == E2BIG && size <= PAGE)
		anomaly(I_SET_SELF_ATTR, "size %u: E2BIG", size);
}

static void fuzz_module_list(struct arena *a)
{
	struct buf ids = pick_buf(a, pick(a, 2) ? nactive * 8 : 8);
	uint32_t *sizep = pick_sizep(a);
	uint32_t flags = pick(a, 8) ? 0 : pick_flags(a);
	uint32_t in = pick_size(a, nactive * 8), out;
	bool sized = sizep == a->size;
	long ret, i;
	int err;

	*a->size = in;
	ret = syscall(__NR_lsm_module_list, ids.p, sizep, flags);
	err = ret < 0 ? errno : 0;
	tally(I_MODULE_LIST, ret, err);
	out = *a->size;

	if (ret < 0) {
		if (!one_of(err, EINVAL, EFAULT, E2BIG, ENOMEM, 0))
			anomaly(I_MODULE_LIST, "size %u flags %#x: errno %d", in, flags, err);
		else if (err == EINVAL && (!flags || out != in))
			anomaly(I_MODULE_LIST, "size %u flags %#x: EINVAL, *size %u", in, flags, out);
		else if (err == E2BIG && (flags || out != nactive * 8 || in >= out ||
					  !untouched_outside(a, NULL, 0)))
			anomaly(I_MODULE_LIST, "size %u: E2BIG, *size %u", in, out);
		else if (err == EFAULT && sized && usable(a, ids) &&
			 ids.mapped >= in)
			anomaly(I_MODULE_LIST, "size %u: EFAULT, all pointers good", in);
		else if (err != EINVAL && flags && sized)
			anomaly(I_MODULE_LIST, "flags %#x: errno %d, not EINVAL", flags, err);
		return;
	}
	if (flags || !sized || ret != (long)nactive || out != nactive * 8 ||
	    in < out || !ids.p) {
		anomaly(I_MODULE_LIST, "size %u flags %#x: returned %ld, *size %u",
			in, flags, ret, out);
		return;
	}
	for (i = 0; i < ret; i++) {
		uint64_t id;

		memcpy(&id, ids.p + 8 * i, 8);
		if (id != active_ids[i])
			anomaly(I_MODULE_LIST, "entry %ld is %llu, not %llu", i,
				(unsigned long long)id,
				(unsigned long long)active_ids[i]);
	}
	if (!untouched_outside(a, ids.p, out))
		anomaly(I_MODULE_LIST, "bytes written past *size %u", out);
}

/* "/proc/<someone>/attr/<file>" for a random task and attribute file. */
static void proc_path(struct arena *a, char *path, size_t len, bool *own)
{
	const char *file = nattr_files ? attr_files[pick(a, nattr_files)] : "current";
	pid_t tid;

	*own = false;
	switch (pick(a, 5)) {
	case 0:
		snprintf(path, len, "/proc/%d/attr/%s", other_pid, file);
		return;
	case 1:
		tid = tids[pick(a, nthreads)];
		*own = tid == (pid_t)syscall(SYS_gettid);
		snprintf(path, len, "/proc/self/task/%d/attr/%s", tid, file);
		return;
	case 2:
		/* /proc/self is the thread group's leader. */
		*own = syscall(SYS_gettid) == getpid();
		snprintf(path, len, "/proc/self/attr/%s", file);
		return;
	default:
		*own = true;
		snprintf(path, len, "/proc/thread-self/attr/%s", file);
	}
}

/*
 * Open the attribute file @path for interface @i; a failure is tallied,
 * and an anomaly if open() does not document its errno.
 */
static int open_attr(enum iface i, const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		tally(i, -1, errno);
		if (!one_of(errno, ENOENT, EACCES, EPERM, ESRCH, EINVAL, ENOMEM, 0))
			anomaly(i, "open %s: errno %d", path, errno);
	}
	return fd;
}

static void fuzz_proc_read(struct arena *a)
{
	struct buf b = pick_buf(a, 64);
	size_t len = pick_size(a, 64);
	char path[128];
	ssize_t ret;
	bool own;
	int fd, err;

	proc_path(a, path, sizeof(path), &own);
	fd = open_attr(I_PROC_READ, path, O_RDONLY);
	if (fd < 0)
		return;
	if (len > ARENA)
		len = pick(a, 2) ? ARENA : len;
	ret = read(fd, b.p, len);
	err = ret < 0 ? errno : 0;
	close(fd);
	tally(I_PROC_READ, ret, err);
	if (ret < 0) {
		if (!one_of(err, EINVAL, ENOENT, EACCES, EPERM, ESRCH, ENOMEM,
			    EOPNOTSUPP, EFAULT, ERANGE, E2BIG, 0))
			anomaly(I_PROC_READ, "read %s (%zu): errno %d", path, len, err);
		else if (err == EFAULT && usable(a, b) && b.mapped >= len)
			anomaly(I_PROC_READ, "read %s (%zu): EFAULT, the buffer was good",
				path, len);
		return;
	}
	if ((size_t)ret > len || !untouched_outside(a, b.p, ret))
		anomaly(I_PROC_READ, "read %s (%zu): %zd bytes, or bytes past them",
			path, len, ret);
}

static void fuzz_proc_write(struct arena *a)
{
	struct buf b = pick_buf(a, 64);
	const char *label = PICK(a, labels);
	size_t len = pick(a, 4) ? strlen(label) + pick(a, 2) : pick_size(a, 0);
	char path[128];
	ssize_t ret;
	bool own;
	int fd, err;

	proc_path(a, path, sizeof(path), &own);
	fd = open_attr(I_PROC_WRITE, path, O_WRONLY);
	if (fd < 0)
		return;
	if (usable(a, b)) {
		size_t n = strlen(label);

		memcpy(b.p, label, n < b.mapped ? n : b.mapped);
		if (pick(a, 6) == 0)
			fill_value(a, b.p, b.mapped < 300 ? b.mapped : 300);
	}
	ret = write(fd, b.p, len);
	err = ret < 0 ? errno : 0;
	close(fd);
	tally(I_PROC_WRITE, ret, err);
	if (ret >= 0) {
		if ((size_t)ret > len)
			anomaly(I_PROC_WRITE, "write %s: %zd > %zu", path, ret, len);
		else if (!own && len)
			anomaly(I_PROC_WRITE, "write %s: another task's attribute written",
				path);
		return;
	}
	if (one_of(err, ENOSYS, ENOTTY, EBADF, 0) || err >= NERRNO)
		anomaly(I_PROC_WRITE, "write %s (%zu): errno %d", path, len, err);
}

static void fuzz_peersec(struct arena *a)
{
	int fd = pick(a, 2) ? stream_pair[0] : tcp_client;
	struct buf b = pick_buf(a, 32);
	socklen_t *lenp = (socklen_t *)a->size;
	socklen_t in;
	long ret;
	int err;

	in = (socklen_t)pick_size(a, 32);
	if (pick(a, 10) == 0)
		lenp = pick(a, 2) ? NULL : (socklen_t *)a->none;
	*a->size = in;
	ret = getsockopt(fd, SOL_SOCKET, SO_PEERSEC, b.p, lenp);
	err = ret < 0 ? errno : 0;
	tally(I_PEERSEC, ret, err);
	if (ret < 0) {
		if (!one_of(err, ERANGE, ENOPROTOOPT, EFAULT, EINVAL, ENOMEM, 0))
			anomaly(I_PEERSEC, "optlen %u: errno %d", in, err);
		else if (err == ERANGE && (*a->size <= in || !untouched_outside(a, NULL, 0)))
			anomaly(I_PEERSEC, "optlen %u: ERANGE, optlen %u, or a copy", in,
				*a->size);
		return;
	}
	if (lenp != (socklen_t *)a->size || *a->size > in ||
	    !untouched_outside(a, b.p, *a->size))
		anomaly(I_PEERSEC, "optlen %u: success, optlen %u, or bytes past it",
			in, *a->size);
}

static void fuzz_scm_security(struct arena *a)
{
	struct buf ctl = pick_buf(a, 64);
	char data[8] = "lsmfuzz", got[8];
	struct iovec iov = { got, sizeof(got) };
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	size_t in = pick(a, 3) ? pick(a, 300) : pick_size(a, 64);
	ssize_t ret;
	int err;

	if (send(dgram_pair[1], data, sizeof(data), MSG_DONTWAIT) < 0)
		return;
	if (in > ctl.mapped && usable(a, ctl) && pick(a, 2))
		in = ctl.mapped;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.p;
	msg.msg_controllen = in;
	ret = recvmsg(dgram_pair[0], &msg, MSG_DONTWAIT);
	err = ret < 0 ? errno : 0;
	tally(I_SCM_SECURITY, ret, err);
	if (ret < 0) {
		if (!one_of(err, EFAULT, EAGAIN, ENOBUFS, EINVAL, ENOMEM, 0))
			anomaly(I_SCM_SECURITY, "controllen %zu: errno %d", in, err);
		return;
	}
	if (msg.msg_controllen > in) {
		anomaly(I_SCM_SECURITY, "controllen %zu grew to %zu", in,
			(size_t)msg.msg_controllen);
		return;
	}
	if (!ctl.p || ctl.p == a->none || !msg.msg_controllen)
		return;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_len > msg.msg_controllen) {
			anomaly(I_SCM_SECURITY, "a cmsg runs past controllen");
			return;
		}
	}
	if (!untouched_outside(a, ctl.p, msg.msg_controllen))
		anomaly(I_SCM_SECURITY, "bytes written past controllen %zu",
			(size_t)msg.msg_controllen);
}

static void fuzz_key_security(struct arena *a)
{
	struct buf b = pick_buf(a, 32);
	size_t len = pick_size(a, 32);
	long ret;
	int err;

	ret = syscall(__NR_keyctl, KEYCTL_GET_SECURITY, key_id, b.p, len, 0);
	err = ret < 0 ? errno : 0;
	tally(I_KEY_SECURITY, ret, err);
	if (ret < 0) {
		if (!one_of(err, EFAULT, ENOMEM, EACCES, ENOKEY, EOPNOTSUPP, 0))
			anomaly(I_KEY_SECURITY, "buflen %zu: errno %d", len, err);
		else if (err == EFAULT && usable(a, b) && b.mapped >= len)
			anomaly(I_KEY_SECURITY, "buflen %zu: EFAULT, the buffer was good", len);
		return;
	}
	if (ret < 1) {
		anomaly(I_KEY_SECURITY, "returned %ld: no room for the NUL", ret);
	} else if (!b.p || (size_t)ret > len) {
		/* keyctl(2): as much of the label as fits, no more. */
		if (!untouched_outside(a, b.p, b.p ? len : 0))
			anomaly(I_KEY_SECURITY, "buflen %zu < %ld, and bytes past buflen",
				len, ret);
	} else if (b.p[ret - 1] != '\0' || strlen((char *)b.p) != (size_t)ret - 1) {
		anomaly(I_KEY_SECURITY, "the label is not %ld bytes ending in NUL", ret);
	} else if (!untouched_outside(a, b.p, ret)) {
		anomaly(I_KEY_SECURITY, "bytes written past the label");
	}
}

static void fuzz_xattr(struct arena *a)
{
	static const char *const names[] = {
		"security.selinux", "security.SMACK64", "security.SMACK64EXEC",
		"security.SMACK64TRANSMUTE", "security.SMACK64MMAP",
		"security.SMACK64IPIN", "security.SMACK64IPOUT",
		"security.apparmor", "security.capability", "security.ima",
		"security.evm", "security.lsmfuzz", "security.", "user.lsmfuzz",
	};
	const char *name = PICK(a, names);
	struct buf b = pick_buf(a, 64);
	size_t len = pick(a, 3) ? pick(a, 300) : pick_size(a, 64);
	bool on_socket = pick(a, 4) == 0;
	unsigned int op = pick(a, 4);
	long ret;
	int err, fd = -1;

	if (on_socket)
		fd = stream_pair[pick(a, 2)];
	if (op == 0) {
		if (usable(a, b))
			fill_value(a, b.p, b.mapped < len ? b.mapped : len);
		if (len > b.mapped && usable(a, b) && pick(a, 2))
			len = b.mapped;
		ret = on_socket ? fsetxattr(fd, name, b.p, len, pick(a, 3)) :
				  setxattr(file_path, name, b.p, len, pick(a, 3));
	} else if (op == 1) {
		ret = on_socket ? fremovexattr(fd, name) : removexattr(file_path, name);
	} else if (op == 2) {
		ret = on_socket ? fgetxattr(fd, name, b.p, len) :
				  getxattr(file_path, name, b.p, len);
	} else {
		ret = on_socket ? flistxattr(fd, (char *)b.p, len) :
				  listxattr(file_path, (char *)b.p, len);
	}
	err = ret < 0 ? errno : 0;
	tally(I_XATTR, ret, err);
	if (ret < 0) {
		/* sockfs leaves security.* to the modules, which remove none. */
		if (err == EAGAIN && on_socket && op == 1)
			return;
		if (!one_of(err, ENODATA, ERANGE, EPERM, EACCES, EINVAL, EOPNOTSUPP,
			    E2BIG, ENOSPC, EFAULT, ENOMEM, EEXIST, 0))
			anomaly(I_XATTR, "op %u %s (%zu): errno %d", op, name, len, err);
		else if (err == EFAULT && usable(a, b) && b.mapped >= len)
			anomaly(I_XATTR, "op %u %s (%zu): EFAULT, the buffer was good",
				op, name, len);
		return;
	}
	if (op >= 2 && len && ((size_t)ret > len || !untouched_outside(a, b.p, ret)))
		anomaly(I_XATTR, "op %u %s (%zu): %ld bytes, or bytes past them",
			op, name, len, ret);
}

static void (*const fuzzers[I_COUNT])(struct arena *) = {
	fuzz_self_attr, fuzz_set_self_attr, fuzz_module_list, fuzz_proc_read,
	fuzz_proc_write, fuzz_peersec, fuzz_scm_security, fuzz_key_security,
	fuzz_xattr,
};

/* How often each interface comes up, out of 100. */
static const unsigned int weight[I_COUNT] = { 22, 14, 8, 16, 10, 8, 6, 6, 10 };

struct thread_arg {
	unsigned int index;
	uint64_t calls;
	pthread_barrier_t *ready;
};

static void *fuzz_thread(void *p)
{
	struct thread_arg *t = p;
	struct arena a = { .index = t->index };
	unsigned char *m;
	uint64_t n;

	tids[t->index] = (pid_t)syscall(SYS_gettid);
	a.rng = (seed ^ ((uint64_t)batch << 20) ^ ((uint64_t)t->index << 48)) *
		0x9e3779b97f4a7c15ULL | 1;
	m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m + ARENA, PAGE, PROT_NONE))
		_exit(3);
	a.rw = m;
	a.none = m + ARENA;
	a.size = (uint32_t *)(m + 3 * PAGE);
	if (make_it_fail) {
		int fd = open("/proc/thread-self/make-it-fail", O_WRONLY);

		if (fd < 0 || write(fd, "1", 1) != 1)
			_exit(5);
		close(fd);
	}
	pthread_barrier_wait(t->ready);
	for (n = 0; n < t->calls; n++) {
		unsigned int w = pick(&a, 100), i;

		for (i = 0; i < I_COUNT - 1 && w >= weight[i]; i++)
			w -= weight[i];
		fuzzers[i](&a);
	}
	return NULL;
}

/* The LSM_ID_* of a module's name in /sys/kernel/security/lsm, 0 if unknown. */
static uint64_t id_of(const char *name)
{
	static const char *const names[] = {
		"capability", "selinux", "smack", "tomoyo", "apparmor", "yama",
		"loadpin", "safesetid", "lockdown", "bpf", "landlock", "ima", "evm",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return LSM_ID_CAPABILITY + i;
	return 0;
}

/*
 * The IDs of the active modules, which the answers are checked against:
 * /sys/kernel/security/lsm's names, in its order. lsm_module_list() must
 * give the same (an anomaly if not).
 */
static int read_active(void)
{
	uint64_t ids[MAX_IDS];
	uint32_t size = sizeof(ids);
	char list[512], *name, *save;
	ssize_t len;
	long n;
	int fd;

	fd = open("/sys/kernel/security/lsm", O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, list, sizeof(list) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	list[len] = '\0';
	for (name = strtok_r(list, ",\n", &save); name && nactive < MAX_IDS;
	     name = strtok_r(NULL, ",\n", &save))
		active_ids[nactive++] = id_of(name);
	n = syscall(__NR_lsm_module_list, ids, &size, 0);
	if (n != (long)nactive || size != nactive * 8 ||
	    memcmp(ids, active_ids, size))
		anomaly(I_MODULE_LIST, "lsm_module_list() gives %ld IDs, not the %u of /sys/kernel/security/lsm",
			n, nactive);
	return 0;
}

/* Every file of /proc/self/attr and of its module directories. */
static void list_attr_files(void)
{
	DIR *d = opendir("/proc/self/attr"), *sub;
	struct dirent *e, *f;
	char path[300];

	if (!d)
		return;
	while ((e = readdir(d)) && nattr_files < MAX_FILES) {
		if (e->d_name[0] == '.' || strlen(e->d_name) > 20)
			continue;
		if (e->d_type != DT_DIR) {
			strcpy(attr_files[nattr_files++], e->d_name);
			continue;
		}
		snprintf(path, sizeof(path), "/proc/self/attr/%s", e->d_name);
		sub = opendir(path);
		while (sub && (f = readdir(sub)) && nattr_files < MAX_FILES) {
			if (f->d_name[0] == '.' || strlen(f->d_name) > 20)
				continue;
			strcpy(attr_files[nattr_files], e->d_name);
			strcat(attr_files[nattr_files], "/");
			strcat(attr_files[nattr_files++], f->d_name);
		}
		if (sub)
			closedir(sub);
	}
	closedir(d);
}

/* Sockets, a key and a file to fuzz; 0 or -1. */
static int worker_setup(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);
	int one = 1, fd, l;

	if (read_active())
		return -1;
	list_attr_files();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, stream_pair) ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, dgram_pair))
		return -1;
	setsockopt(dgram_pair[0], SOL_SOCKET, SO_PASSSEC, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &salen))
		return -1;
	tcp_client = socket(AF_INET, SOCK_STREAM, 0);
	if (tcp_client < 0 || connect(tcp_client, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	tcp_server = accept(l, NULL, NULL);
	close(l);
	key_id = syscall(__NR_add_key, "user", "lsmfuzz", "payload", 7,
			 KEY_SPEC_PROCESS_KEYRING);
	snprintf(file_path, sizeof(file_path), "/tmp/lsmfuzz.%d", getpid());
	fd = open(file_path, O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return tcp_server < 0 ? -1 : 0;
}

static void run_worker(uint64_t calls)
{
	pthread_t th[MAX_THREADS];
	struct thread_arg args[MAX_THREADS];
	pthread_barrier_t ready;
	unsigned int i;

	if (worker_setup())
		_exit(2);
	pthread_barrier_init(&ready, NULL, nthreads);
	for (i = 0; i < nthreads; i++) {
		args[i].index = i;
		args[i].calls = calls / nthreads + (i < calls % nthreads);
		args[i].ready = &ready;
		if (i && pthread_create(&th[i], NULL, fuzz_thread, &args[i]))
			_exit(4);
	}
	fuzz_thread(&args[0]);
	for (i = 1; i < nthreads; i++)
		pthread_join(th[i], NULL);
	unlink(file_path);
	_exit(0);
}

static const char *errno_name(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
		{ ENODATA, "ENODATA" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOPROTOOPT, "ENOPROTOOPT" }, { EAGAIN, "EAGAIN" },
		{ EINTR, "EINTR" }, { ENOKEY, "ENOKEY" }, { ENOBUFS, "ENOBUFS" },
	};
	static char other[16];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	snprintf(other, sizeof(other), "errno%d", e);
	return other;
}

/*
 * Runs @argv with /proc/<pid>/make-it-fail set once it has executed: the
 * child's end of a close-on-exec pipe closes at its execve().
 */
static int run_marked(char **argv)
{
	char path[64], c;
	int pipefd[2], status, fd;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return 125;
	pid = fork();
	if (pid < 0)
		return 125;
	if (pid == 0) {
		close(pipefd[0]);
		execvp(argv[0], argv);
		c = 1;
		if (write(pipefd[1], &c, 1) != 1)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) == 0) {
		snprintf(path, sizeof(path), "/proc/%d/make-it-fail", pid);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				perror(path);
			close(fd);
		}
	}
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return 125;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-n CALLS] [-s SEED] [-t THREADS] [-b BATCH] [-T SECONDS] [-N NAME] [-F]\n"
		"       %s -X PROGRAM [ARGS...]\n", argv0, argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t calls = 100000, per_batch = 5000, done = 0, killed = 0, workers = 0;
	const char *name = sizeof(long) == 8 ? "fuzz64" : "fuzz32";
	unsigned int seconds = 600, i;
	bool timed_out = false;
	struct timespec t0, t;
	int opt, status, failed;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (argc > 2 && !strcmp(argv[1], "-X"))
		return run_marked(argv + 2);
	while ((opt = getopt(argc, argv, "n:s:t:b:T:N:F")) != -1) {
		switch (opt) {
		case 'n': calls = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': nthreads = (unsigned int)atoi(optarg); break;
		case 'b': per_batch = strtoull(optarg, NULL, 0); break;
		case 'T': seconds = (unsigned int)atoi(optarg); break;
		case 'N': name = optarg; break;
		case 'F': make_it_fail = true; break;
		default: usage(argv[0]);
		}
	}
	if (!nthreads || nthreads > MAX_THREADS || !per_batch)
		usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		return 1;
	printf("TAP version 13\n1..%d\n", I_COUNT + 1);
	printf("# %s: seed %" PRIu64 ", %" PRIu64 " calls in batches of %" PRIu64
	       ", %u threads%s (replay: %s -s %" PRIu64 " -n %" PRIu64 " -b %" PRIu64
	       " -t %u%s, in the same boot)\n", name, seed, calls, per_batch,
	       nthreads, make_it_fail ? ", allocations failing" : "", argv[0], seed,
	       calls, per_batch, nthreads, make_it_fail ? " -F" : "");

	other_pid = fork();
	if (other_pid == 0) {
		pause();
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (batch = 0; done < calls; batch++) {
		uint64_t n = calls - done < per_batch ? calls - done : per_batch;
		pid_t pid = fork();
		int tries;

		for (tries = 0; pid < 0 && errno == ENOMEM && tries < 100; tries++) {
			usleep(10000);
			pid = fork();
		}

		if (pid == 0)
			run_worker(n);
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			killed++;
			printf("# batch %u: no worker: %s\n", batch, strerror(errno));
			break;
		}
		workers++;
		if (WIFSIGNALED(status)) {
			killed++;
			printf("# batch %u: worker killed by signal %d (seed %" PRIu64 ")\n",
			       batch, WTERMSIG(status), seed);
		} else if (WEXITSTATUS(status)) {
			killed++;
			printf("# batch %u: worker could not set up (status %d)\n",
			       batch, WEXITSTATUS(status));
		}
		done += n;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= (time_t)seconds && done < calls) {
			timed_out = true;
			break;
		}
	}
	kill(other_pid, SIGKILL);
	waitpid(other_pid, NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &t);

	for (i = 0; i < I_COUNT; i++) {
		char hist[600] = "";
		size_t len = 0;
		unsigned int e, k;

		for (e = 1; e < NERRNO; e++)
			if (st->errnos[i][e] && len < sizeof(hist) - 40)
				len += snprintf(hist + len, sizeof(hist) - len, " %s:%" PRIu64,
						errno_name(e), st->errnos[i][e]);
		printf("# %s: %" PRIu64 " calls, %" PRIu64 " succeeded; errors:%s\n",
		       iface_name[i], st->calls[i], st->ok[i], len ? hist : " none");
		for (k = 0; k < SHOWN && k < st->anomalies[i]; k++)
			printf("# anomaly: %s: %s (seed %" PRIu64 ")\n", iface_name[i],
			       st->shown[i][k], seed);
		printf("# lsmstack-figure: %s.%s %" PRIu64 "\n", name, iface_name[i],
		       st->calls[i]);
		printf("%s %u %s%s\n", st->anomalies[i] ? "not ok" : "ok", i + 1,
		       iface_name[i], st->calls[i] ? "" : " # SKIP no call made");
	}
	printf("# %" PRIu64 " workers, %" PRIu64 " calls in %ld s%s\n", workers, done,
	       (long)(t.tv_sec - t0.tv_sec), timed_out ? " (stopped at the time limit)" : "");
	printf("%s %u workers\n", killed ? "not ok" : "ok", I_COUNT + 1);
	failed = killed != 0;
	for (i = 0; i < I_COUNT; i++)
		if (st->anomalies[i])
			failed = 1;
	return failed;
}
