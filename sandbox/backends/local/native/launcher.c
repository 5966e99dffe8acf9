/*
 * cpforge launcher: the last step between the box supervisor and an untrusted program.
 *
 * The supervisor starts this with posix_spawn (vfork-fast; forking a Python process costs
 * about 1.4 ms of CPU on small VMs). A vfork child inherits the supervisor's peak-RSS record
 * (exec keeps the larger of the old and new peaks), so the program is not started from here
 * directly: the launcher clones a fresh process with CLONE_PARENT, which becomes the
 * supervisor's own child with a clean rusage record, then exits. The program's measured
 * memory is then its own, not the supervisor's ~12 MiB on top.
 *
 * Descriptors: 0-2 the program's stdio; 3 the report pipe to the supervisor (close-on-exec);
 * 4 the "go" pipe, which the child reads before it execs. The supervisor reaps the launcher
 * before it says go, so the launcher never counts against the program's process limit.
 *
 * Report records on fd 3 (all the supervisor ever reads from it):
 *   'P' + pid (4 bytes, native order)   the launcher cloned the program's process
 *   'E' + errno (4 bytes) + text        the launcher itself failed (nothing ran)
 *   'X' + errno (4 bytes) + text        the child failed before or at exec (exec's ENOMEM
 *                                       means the program cannot start within its limits)
 * Silence after 'P' means exec succeeded.
 *
 * Before exec the child: joins a fresh anonymous session keyring and empties the box user's
 * keyrings (keys would otherwise survive from one run to the next in a warm box), offers
 * itself first to the OOM killer (so a full box never costs the supervisor its life),
 * starts its own session, changes directory and applies the resource limits.
 *
 * Usage: launcher DIR NAME=SOFT:HARD ... -- PROGRAM ARGS...   (a limit of -1 is unlimited)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REPORT_FD 3
#define GO_FD 4
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_CLEAR 7
#define KEY_SPEC_USER_KEYRING (-4)
#define KEY_SPEC_USER_SESSION_KEYRING (-5)

static const struct { const char *name; int resource; } LIMITS[] = {
    {"cpu", RLIMIT_CPU}, {"as", RLIMIT_AS}, {"stack", RLIMIT_STACK}, {"nproc", RLIMIT_NPROC},
    {"fsize", RLIMIT_FSIZE}, {"nofile", RLIMIT_NOFILE}, {"core", RLIMIT_CORE},
    {"msgqueue", RLIMIT_MSGQUEUE}, {"memlock", RLIMIT_MEMLOCK},
};

static void report(char kind, int32_t value, const char *text) {
    char buffer[600];
    size_t length = 0;
    buffer[length++] = kind;
    memcpy(buffer + length, &value, sizeof value);
    length += sizeof value;
    if (text) {
        size_t room = sizeof buffer - length;
        size_t n = strlen(text);
        if (n > room) n = room;
        memcpy(buffer + length, text, n);
        length += n;
    }
    ssize_t ignored = write(REPORT_FD, buffer, length);
    (void)ignored;
}

static void fail(char kind, const char *what, const char *detail) {
    int saved = errno;
    char text[512];
    snprintf(text, sizeof text, "%s %s: %s", what, detail, strerror(saved));
    report(kind, saved, text);
    _exit(127);
}

static rlim_t parse_limit(const char *text) {
    if (strcmp(text, "-1") == 0) return RLIM_INFINITY;
    return (rlim_t)strtoull(text, NULL, 10);
}

static void fresh_keyrings(void) {
    syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, (char *)NULL, 0, 0, 0);
    syscall(SYS_keyctl, KEYCTL_CLEAR, KEY_SPEC_USER_KEYRING, 0, 0, 0);
    syscall(SYS_keyctl, KEYCTL_CLEAR, KEY_SPEC_USER_SESSION_KEYRING, 0, 0, 0);
}

static void first_for_the_oom_killer(void) {
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t ignored = write(fd, "1000", 4);
        (void)ignored;
        close(fd);
    }
}

static void child(int argc, char **argv) {
    char go;
    ssize_t got;
    do {
        got = read(GO_FD, &go, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1) _exit(127);  /* the supervisor gave up on this run: never start it */
    close(GO_FD);
    fresh_keyrings();
    first_for_the_oom_killer();
    setsid();
    if (chdir(argv[1]) != 0) fail('X', "chdir", argv[1]);
    int i = 2;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        char *eq = strchr(argv[i], '='), *colon = eq ? strchr(eq, ':') : NULL;
        if (!eq || !colon) { errno = EINVAL; fail('X', "bad limit", argv[i]); }
        *eq = '\0';
        *colon = '\0';
        int resource = -1;
        for (size_t k = 0; k < sizeof LIMITS / sizeof LIMITS[0]; k++)
            if (strcmp(LIMITS[k].name, argv[i]) == 0) resource = LIMITS[k].resource;
        if (resource < 0) { errno = EINVAL; fail('X', "unknown limit", argv[i]); }
        struct rlimit limit = {parse_limit(eq + 1), parse_limit(colon + 1)};
        if (setrlimit(resource, &limit) != 0) fail('X', "setrlimit", argv[i]);
    }
    if (i + 1 >= argc) { errno = EINVAL; fail('X', "no program", "after --"); }
    execvp(argv[i + 1], argv + i + 1);
    fail('X', "exec", argv[i + 1]);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        errno = EINVAL;
        fail('E', "launcher", "usage: DIR NAME=SOFT:HARD ... -- PROGRAM ARGS...");
    }
    fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC);
    fcntl(GO_FD, F_SETFD, FD_CLOEXEC);
    syscall(SYS_close_range, 5, ~0U, 0);
    /* A raw clone behaves like fork here (no new stack, single-threaded static program). */
    long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) fail('E', "clone", "CLONE_PARENT");
    if (pid == 0) {
        child(argc, argv);
        _exit(127);
    }
    report('P', (int32_t)pid, NULL);
    return 0;
}
