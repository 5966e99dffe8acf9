/*
 * cpforge launcher: the last step between the box supervisor and an untrusted program.
 *
 * Starting a process is the dearest thing a run does (an exec costs 0.4-0.8 ms on small
 * VMs), so the launcher is started *between* runs, off the run's latency: the supervisor
 * spawns it right after it has wiped the box, and the launcher leaves behind a prepared
 * child that waits for the next run's request. A run then costs one message to a process
 * that already exists, and the exec of the program itself, as a bare fork+exec does.
 *
 * Where the architecture allows (x86_64, aarch64) it is built freestanding, without the C
 * library: a static glibc binary spends ~0.6 ms of a VM's time in its own start-up (CPU
 * feature probing, relocations) before main, a bare one ~0.1 ms. Elsewhere the same code
 * builds against libc (see sys_call below).
 *
 * The supervisor starts this with posix_spawn (vfork-fast; forking a Python process costs
 * about 1.4 ms of CPU on small VMs). A vfork child inherits the supervisor's peak-RSS record
 * (exec keeps the larger of the old and new peaks), so the program is not started from here
 * directly: the launcher clones a fresh process with CLONE_PARENT, which becomes the
 * supervisor's own child with a clean rusage record, and exits. The program's measured
 * memory is then its own, not the supervisor's ~12 MiB on top. The supervisor reaps the
 * launcher before the request goes out, so it never counts against a process limit.
 *
 * Descriptors: 0-2 /dev/null; 3 a stream socket to the supervisor (close-on-exec), which
 * carries the request in and the report records out.
 *
 * Report records on fd 3 (all the supervisor ever reads from it):
 *   'P' + pid (4 bytes, native order)   the launcher cloned the prepared child
 *   'E' + errno (4 bytes) + text        the launcher itself failed (nothing was prepared)
 *   'X' + errno (4 bytes) + text        the child failed before or at exec (exec's ENOMEM
 *                                       means the program cannot start within its limits)
 * The text names what failed; the supervisor adds the errno's description. Silence after
 * 'P' means exec succeeded.
 *
 * The prepared child, before it waits: joins a fresh anonymous session keyring and empties
 * the box user's keyrings (keys would otherwise survive from one run to the next in a warm
 * box; nothing untrusted runs between the wipe and the next request, so clearing them now
 * is clearing them after the last run), offers itself first to the OOM killer (so a full
 * box never costs the supervisor its life) and starts its own session. On the request it
 * takes the run's stdio, changes directory, applies the resource limits and execs, with
 * execvp's PATH search (the program's own PATH) and its /bin/sh fallback for scripts
 * without a #! line.
 *
 * The request: a 4-byte length (native order) with the three stdio descriptors attached
 * (SCM_RIGHTS: stdin, stdout, stderr), then that many bytes of NUL-terminated strings:
 *   "<limits> <env> <argv>" (three decimal counts), DIR, then the limits (NAME=SOFT:HARD,
 *   -1 is unlimited), the environment (KEY=VALUE) and the argv.
 * End of file instead of a request (the supervisor closed the box) ends the child unrun.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define CONTROL_FD 3
#define STDIO_FDS 3
#define MAX_REQUEST (4u << 20)
#define MAX_STRINGS 65536
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_CLEAR 7
#define KEY_SPEC_USER_KEYRING (-4)
#define KEY_SPEC_USER_SESSION_KEYRING (-5)

/* ------------------------------------------------------------------ system calls */
#if defined(CPFORGE_FREESTANDING) && defined(__x86_64__)
static long sys_call(long n, long a, long b, long c, long d, long e, long f) {
    long result;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(result) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}
__asm__(".text\n.global _start\n_start:\n xor %rbp, %rbp\n and $-16, %rsp\n call launcher_main\n hlt\n");
#elif defined(CPFORGE_FREESTANDING) && defined(__aarch64__)
static long sys_call(long n, long a, long b, long c, long d, long e, long f) {
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
    return x0;
}
__asm__(".text\n.global _start\n_start:\n mov x29, #0\n mov x30, #0\n mov x0, sp\n and x0, x0, #-16\n"
        " mov sp, x0\n bl launcher_main\n brk #0\n");
#elif defined(CPFORGE_FREESTANDING)
#error "freestanding builds exist for x86_64 and aarch64 only; build without CPFORGE_FREESTANDING"
#else
#include <unistd.h>
/* The C library's syscall() reports failure as -1 and errno; the code below expects the
 * kernel's own convention (a negated errno), as the freestanding calls return it. */
static long sys_call(long n, long a, long b, long c, long d, long e, long f) {
    long result = syscall(n, a, b, c, d, e, f);
    return result == -1 ? -errno : result;
}
#endif

#define SYS0(n) sys_call(n, 0, 0, 0, 0, 0, 0)
#define SYS1(n, a) sys_call(n, (long)(a), 0, 0, 0, 0, 0)
#define SYS2(n, a, b) sys_call(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(n, a, b, c) sys_call(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(n, a, b, c, d) sys_call(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SYS6(n, a, b, c, d, e, f) sys_call(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static __attribute__((noreturn)) void leave(int code) {
    for (;;) SYS1(SYS_exit_group, code);
}

#ifdef CPFORGE_FREESTANDING
/* GCC may emit calls to these even in freestanding code (struct copies, zeroing); the
 * build turns off its rewriting of such loops into calls to themselves. */
void *memcpy(void *to, const void *from, size_t n) {
    unsigned char *d = to;
    const unsigned char *s = from;
    while (n--) *d++ = *s++;
    return to;
}

void *memset(void *to, int value, size_t n) {
    unsigned char *d = to;
    while (n--) *d++ = (unsigned char)value;
    return to;
}
#else
#include <string.h>
#endif

static size_t text_length(const char *text) {
    size_t n = 0;
    while (text[n]) n++;
    return n;
}

static int same_text(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

/* ------------------------------------------------------------------ reports */
static void report(char kind, int32_t value, const char *what, const char *detail) {
    char buffer[600];
    size_t length = 0;
    buffer[length++] = kind;
    memcpy(buffer + length, &value, sizeof value);
    length += sizeof value;
    for (size_t n = 0; what[n] && length < sizeof buffer; n++) buffer[length++] = what[n];
    if (detail && *detail && length < sizeof buffer) buffer[length++] = ' ';
    for (size_t n = 0; detail && detail[n] && length < sizeof buffer; n++) buffer[length++] = detail[n];
    /* MSG_NOSIGNAL: a supervisor that is gone must not turn a report into SIGPIPE. */
    SYS6(SYS_sendto, CONTROL_FD, buffer, length, MSG_NOSIGNAL, 0, 0);
}

/* `error` is a negated errno, as the system calls return it. */
static __attribute__((noreturn)) void fail(char kind, long error, const char *what, const char *detail) {
    report(kind, (int32_t)-error, what, detail);
    leave(127);
}

/* ------------------------------------------------------------------ the request */
static char request[MAX_REQUEST + 1];
static char *strings[MAX_STRINGS];
static char path_buffer[4096 + 256];

/* Reads exactly `size` bytes; the first read also takes the attached descriptors. Returns
 * 0 on success, -1 on end of file or error. */
static int read_all(char *into, size_t size, int *fds, int *nfds) {
    size_t got = 0;
    while (got < size) {
        struct iovec part = {into + got, size - got};
        union { struct cmsghdr align; char space[CMSG_SPACE(sizeof(int) * STDIO_FDS)]; } control;
        struct msghdr message;
        memset(&message, 0, sizeof message);
        message.msg_iov = &part;
        message.msg_iovlen = 1;
        if (fds) {
            message.msg_control = control.space;
            message.msg_controllen = sizeof control.space;
        }
        long n = SYS3(SYS_recvmsg, CONTROL_FD, &message, MSG_CMSG_CLOEXEC);
        if (n == -EINTR) continue;
        if (n <= 0) return -1;
        if (fds) {
            /* The supervisor attaches one SCM_RIGHTS record (CMSG_NXTHDR is a libc function). */
            struct cmsghdr *c = CMSG_FIRSTHDR(&message);
            if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (size_t k = 0; k < count; k++) {
                    int fd;
                    memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof fd);
                    if (*nfds < STDIO_FDS) fds[(*nfds)++] = fd;
                    else SYS1(SYS_close, fd);
                }
            }
            fds = NULL;  /* descriptors come with the first part only */
        }
        got += (size_t)n;
    }
    return 0;
}

static int parse_number(const char **cursor, uint64_t *value) {
    const char *p = *cursor;
    if (*p == '-' && p[1] == '1' && (p[2] == '\0' || p[2] == ':' || p[2] == ' ')) {
        *value = RLIM_INFINITY;
        *cursor = p + 2;
        return 0;
    }
    if (*p < '0' || *p > '9') return -1;
    uint64_t n = 0;
    while (*p >= '0' && *p <= '9') n = n * 10 + (uint64_t)(*p++ - '0');
    *value = n;
    *cursor = p;
    return 0;
}

static const struct { const char *name; int resource; } LIMITS[] = {
    {"cpu", RLIMIT_CPU}, {"as", RLIMIT_AS}, {"stack", RLIMIT_STACK}, {"nproc", RLIMIT_NPROC},
    {"fsize", RLIMIT_FSIZE}, {"nofile", RLIMIT_NOFILE}, {"core", RLIMIT_CORE},
    {"msgqueue", RLIMIT_MSGQUEUE}, {"memlock", RLIMIT_MEMLOCK},
};

static void apply_limit(char *spec) {
    char *eq = spec;
    while (*eq && *eq != '=') eq++;
    if (!*eq) fail('X', -EINVAL, "bad limit", spec);
    *eq = '\0';
    int resource = -1;
    for (size_t k = 0; k < sizeof LIMITS / sizeof LIMITS[0]; k++)
        if (same_text(LIMITS[k].name, spec)) resource = LIMITS[k].resource;
    if (resource < 0) fail('X', -EINVAL, "unknown limit", spec);
    const char *cursor = eq + 1;
    uint64_t limit[2];
    if (parse_number(&cursor, &limit[0]) != 0 || *cursor++ != ':' || parse_number(&cursor, &limit[1]) != 0
        || *cursor != '\0')
        fail('X', -EINVAL, "bad limit", spec);
    long error = SYS4(SYS_prlimit64, 0, resource, limit, 0);
    if (error < 0) fail('X', error, "setrlimit", spec);
}

/* ------------------------------------------------------------------ exec */
static void exec_or_script(const char *path, char **argv, char **env) {
    long error = SYS3(SYS_execve, path, argv, env);
    if (error == -ENOEXEC) {  /* execvp runs a script without #! through the shell */
        size_t n = 0;
        while (argv[n]) n++;
        if (n + 2 <= MAX_STRINGS) {
            static char *shell_argv[MAX_STRINGS + 2];
            shell_argv[0] = "/bin/sh";
            shell_argv[1] = (char *)path;
            for (size_t k = 1; k <= n; k++) shell_argv[k + 1] = argv[k];
            SYS3(SYS_execve, "/bin/sh", shell_argv, env);
        }
        fail('X', -ENOEXEC, "exec", argv[0]);
    }
    if (error < 0) fail('X', error, "exec", argv[0]);
}

/* execvp: a name with a slash runs as it is, any other is looked up in the program's own
 * PATH (default /bin:/usr/bin, as glibc's); EACCES is kept if no later entry works. */
static void exec_program(char **argv, char **env) {
    const char *name = argv[0];
    for (const char *p = name; *p; p++)
        if (*p == '/') exec_or_script(name, argv, env);
    if (!*name) fail('X', -ENOENT, "exec", name);
    const char *path = "/bin:/usr/bin";
    for (char **entry = env; *entry; entry++)
        if ((*entry)[0] == 'P' && (*entry)[1] == 'A' && (*entry)[2] == 'T' && (*entry)[3] == 'H' && (*entry)[4] == '=')
            path = *entry + 5;
    size_t name_length = text_length(name);
    long kept = -ENOENT;
    for (const char *start = path;; ) {
        const char *end = start;
        while (*end && *end != ':') end++;
        size_t length = (size_t)(end - start);
        if (length + 1 + name_length + 1 <= sizeof path_buffer) {
            memcpy(path_buffer, start, length);
            if (length) path_buffer[length++] = '/';
            memcpy(path_buffer + length, name, name_length + 1);
            long error = SYS3(SYS_execve, path_buffer, argv, env);
            if (error == -ENOEXEC) exec_or_script(path_buffer, argv, env);
            if (error == -EACCES) kept = error;
            else if (error != -ENOENT && error != -ENOTDIR && error != -ESTALE && error != -ENODEV
                     && error != -ETIMEDOUT)
                fail('X', error, "exec", name);
        }
        if (!*end) break;
        start = end + 1;
    }
    fail('X', kept, "exec", name);
}

/* ------------------------------------------------------------------ the child */
static void fresh_keyrings(void) {
    SYS2(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0);
    SYS2(SYS_keyctl, KEYCTL_CLEAR, KEY_SPEC_USER_KEYRING);
    SYS2(SYS_keyctl, KEYCTL_CLEAR, KEY_SPEC_USER_SESSION_KEYRING);
}

static void first_for_the_oom_killer(void) {
    long fd = SYS4(SYS_openat, AT_FDCWD, "/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC, 0);
    if (fd >= 0) {
        SYS3(SYS_write, fd, "1000", 4);
        SYS1(SYS_close, fd);
    }
}

static __attribute__((noreturn)) void child(void) {
    fresh_keyrings();
    first_for_the_oom_killer();
    SYS0(SYS_setsid);

    uint32_t length;
    int fds[STDIO_FDS], nfds = 0;
    if (read_all((char *)&length, sizeof length, fds, &nfds) != 0) leave(127);  /* no run: the box is closing */
    if (nfds != STDIO_FDS) fail('X', -EBADF, "request", "without its stdio");
    if (length == 0 || length > MAX_REQUEST) fail('X', -E2BIG, "request", "of a bad size");
    if (read_all(request, length, NULL, NULL) != 0) leave(127);
    request[length] = '\0';

    size_t count = 0;
    for (char *p = request, *end = request + length; p < end; ) {
        if (count >= MAX_STRINGS) fail('X', -E2BIG, "request", "with too many strings");
        strings[count++] = p;
        while (p < end && *p) p++;
        p++;
    }
    uint64_t counts[3];
    const char *cursor = count ? strings[0] : "";
    for (int k = 0; k < 3; k++) {
        if (parse_number(&cursor, &counts[k]) != 0 || (k < 2 && *cursor++ != ' '))
            fail('X', -EINVAL, "request", "header");
    }
    if (*cursor || counts[2] == 0 || 2 + counts[0] + counts[1] + counts[2] != count)
        fail('X', -EINVAL, "request", "layout");
    char *dir = strings[1];
    char **limits = strings + 2, **env = limits + counts[0], **argv = env + counts[1];
    /* execve wants NULL-terminated lists: copies, since the strings lie back to back. */
    static char *env_list[MAX_STRINGS + 1], *argv_list[MAX_STRINGS + 1];
    for (uint64_t k = 0; k < counts[1]; k++) env_list[k] = env[k];
    env_list[counts[1]] = 0;
    for (uint64_t k = 0; k < counts[2]; k++) argv_list[k] = argv[k];
    argv_list[counts[2]] = 0;

    for (int k = 0; k < STDIO_FDS; k++) {
        long error = SYS3(SYS_dup3, fds[k], k, 0);  /* dup3 clears close-on-exec */
        if (error < 0) fail('X', error, "dup2", "stdio");
    }
    SYS3(SYS_close_range, CONTROL_FD + 1, ~0U, 0);
    long error = SYS1(SYS_chdir, dir);
    if (error < 0) fail('X', error, "chdir", dir);
    for (uint64_t k = 0; k < counts[0]; k++) apply_limit(limits[k]);
    exec_program(argv_list, env_list);
    leave(127);
}

/* ------------------------------------------------------------------ the launcher */
#ifdef CPFORGE_FREESTANDING
__attribute__((used, noreturn)) void launcher_main(void) {
#else
int main(void) {
#endif
    SYS3(SYS_fcntl, CONTROL_FD, F_SETFD, FD_CLOEXEC);
    SYS3(SYS_close_range, CONTROL_FD + 1, ~0U, 0);
    /* A raw clone behaves like fork here (no new stack, single-threaded static program). */
    long pid = SYS6(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, 0);
    if (pid < 0) fail('E', pid, "clone", "CLONE_PARENT");
    if (pid == 0) child();
    report('P', (int32_t)pid, "", NULL);
    leave(0);
}
