/*
 * cpforge launcher: the last step between the box supervisor and an untrusted program.
 *
 * The supervisor starts this with posix_spawn (vfork-fast; forking a Python process costs
 * about 1.4 ms of CPU on small VMs), and this applies what posix_spawn cannot: the working
 * directory and the resource limits. Then it execs the program. If anything fails before
 * the program starts, the reason goes to fd 3 (close-on-exec, so silence means success),
 * which lets the host tell "could not start" from "the program exited 127".
 *
 * Usage: launcher DIR NAME=SOFT:HARD ... -- PROGRAM ARGS...   (a limit of -1 is unlimited)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct { const char *name; int resource; } LIMITS[] = {
    {"cpu", RLIMIT_CPU}, {"as", RLIMIT_AS}, {"stack", RLIMIT_STACK}, {"nproc", RLIMIT_NPROC},
    {"fsize", RLIMIT_FSIZE}, {"nofile", RLIMIT_NOFILE}, {"core", RLIMIT_CORE},
    {"msgqueue", RLIMIT_MSGQUEUE}, {"memlock", RLIMIT_MEMLOCK},
};

static void fail(const char *what, const char *detail) {
    dprintf(3, "%s %s: %s", what, detail, strerror(errno));
    _exit(127);
}

static rlim_t parse_limit(const char *text) {
    if (strcmp(text, "-1") == 0) return RLIM_INFINITY;
    return (rlim_t)strtoull(text, NULL, 10);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        dprintf(3, "launcher: usage: DIR NAME=SOFT:HARD ... -- PROGRAM ARGS...");
        return 127;
    }
    fcntl(3, F_SETFD, FD_CLOEXEC);
    syscall(SYS_close_range, 4, ~0U, 0);
    if (chdir(argv[1]) != 0) fail("chdir", argv[1]);
    int i = 2;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        char *eq = strchr(argv[i], '='), *colon = eq ? strchr(eq, ':') : NULL;
        if (!eq || !colon) { errno = EINVAL; fail("bad limit", argv[i]); }
        *eq = '\0';
        *colon = '\0';
        int resource = -1;
        for (size_t k = 0; k < sizeof LIMITS / sizeof LIMITS[0]; k++)
            if (strcmp(LIMITS[k].name, argv[i]) == 0) resource = LIMITS[k].resource;
        if (resource < 0) { errno = EINVAL; fail("unknown limit", argv[i]); }
        struct rlimit limit = {parse_limit(eq + 1), parse_limit(colon + 1)};
        if (setrlimit(resource, &limit) != 0) fail("setrlimit", argv[i]);
    }
    if (i + 1 >= argc) { errno = EINVAL; fail("no program", "after --"); }
    execvp(argv[i + 1], argv + i + 1);
    fail("exec", argv[i + 1]);
    return 127;
}
