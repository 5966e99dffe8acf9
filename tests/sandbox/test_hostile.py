"""Hostile programs: each gets its verdict, the host stays unharmed, the next run works."""

from __future__ import annotations

import ast
import os
import socket
import threading
import uuid
from pathlib import Path

import pytest

from sandbox import CompileLimits, Limits, Verdict

from sandbox_helpers import sandbox_processes

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FAST = Limits(cpu_time=1, wall_time=2, memory_mb=256)


@pytest.fixture
def still_works(backend, build):
    """Run after a hostile program: the sandbox must still judge an ordinary one."""

    def check():
        exe = build('#include <cstdio>\nint main(){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}', "cpp17")
        result = backend.run(exe, stdin=b"20 22\n")
        assert result.status is Verdict.OK and result.stdout == b"42\n"

    return check


def test_infinite_loop_is_tle_by_cpu(backend, build, still_works):
    exe = build("int main(){volatile unsigned long x=0;for(;;)x++;}", "cpp17")
    # A generous wall limit: on a loaded host a busy loop may get under 1 s of CPU in 3 s.
    result = backend.run(exe, limits=FAST.model_copy(update={"wall_time": 30}))
    assert result.status is Verdict.TLE and result.limit_fired == "cpu"
    assert result.cpu_time >= 1.0
    still_works()


@pytest.mark.parametrize("program", [
    "#include <unistd.h>\nint main(){for(;;)sleep(100);}",
    "#include <signal.h>\n#include <unistd.h>\nint main(){kill(getpid(),SIGSTOP);return 0;}",
    "#include <unistd.h>\nint main(){char c;read(0,&c,1);for(;;)pause();}",
], ids=["sleep-forever", "sigstop-self", "blocked-read"])
def test_sleeping_and_stopped_programs_are_tle_by_wall(backend, build, program, still_works):
    exe = build(program, "cpp17")
    result = backend.run(exe, limits=FAST)
    assert result.status is Verdict.TLE and result.limit_fired == "wall"
    assert 2.0 <= result.wall_time < 4.0
    still_works()


MEMORY_BOMBS = {
    "c17": "#include <stdlib.h>\n#include <string.h>\nint main(void){for(;;){char*p=malloc(1<<20);memset(p,1,1<<20);}}",
    "cpp17": "#include <vector>\nint main(){std::vector<std::vector<char>> v;for(;;)v.emplace_back(1<<20,'x');}",
    "python3": "blocks = []\nwhile True:\n    blocks.append(bytearray(b'x' * (1 << 20)))\n",
    "java17": "import java.util.*;\npublic class Main { public static void main(String[] a) {\n"
              " List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1 << 17]); } }",
    "cpp17-single-huge": "#include <vector>\n#include <cstdio>\nint main(){std::vector<long long> v(2000000000LL);"
                         "std::printf(\"%lld\",v[5]);}",
}


@pytest.mark.parametrize("name", sorted(MEMORY_BOMBS))
def test_memory_bombs_are_mle(backend, build, name, still_works):
    language = name.split("-")[0]
    exe = build(MEMORY_BOMBS[name], language)
    result = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, memory_mb=128))
    assert result.status is Verdict.MLE, (result.status, result.message, result.stderr[-300:])
    assert result.limit_fired == "memory"
    still_works()


@pytest.mark.parametrize("language,program", [
    ("cpp17", "#include <cstdio>\nint main(){static char b[1<<16];for(int i=0;i<(1<<16);i++)b[i]='y';"
              "for(;;)fwrite(b,1,sizeof b,stdout);}"),
    ("python3", "import sys\nchunk = 'y' * 65536\nwhile True:\n    sys.stdout.write(chunk)\n"),
])
def test_output_flood_is_ole_and_kept_at_the_cap(backend, build, language, program, still_works):
    exe = build(program, language)
    cap = 1 << 20
    result = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, output_bytes=cap))
    assert result.status is Verdict.OLE and result.limit_fired == "output"
    assert len(result.stdout) == cap and result.stdout_truncated
    assert set(result.stdout) == {ord("y")}
    still_works()


def test_gigabytes_of_output_fill_no_disk(backend, build, still_works):
    before = os.statvfs("/tmp").f_bavail
    exe = build("#include <cstdio>\nint main(){static char b[1<<20];"
                "for(long i=0;i<4096;i++)fwrite(b,1,sizeof b,stdout);}",
                "cpp17")
    result = backend.run(exe, limits=Limits(cpu_time=10, wall_time=20))  # 4 GiB attempted, 64 MiB cap
    assert result.status is Verdict.OLE
    assert len(result.stdout) == Limits().output_bytes
    assert abs(os.statvfs("/tmp").f_bavail - before) * os.statvfs("/tmp").f_frsize < 256 << 20
    still_works()


def test_fork_bomb_is_contained(backend, build, still_works):
    before = sandbox_processes()
    exe = build("#include <unistd.h>\nint main(){for(;;)fork();}", "cpp17")
    result = backend.run(exe, limits=Limits(cpu_time=1, wall_time=3, processes=16))
    assert result.status in (Verdict.TLE, Verdict.RE)
    assert sandbox_processes() == before
    still_works()


def test_thread_bomb_is_contained(backend, build, still_works):
    before = sandbox_processes()
    exe = build("#include <thread>\n#include <vector>\n#include <unistd.h>\n#include <cstdio>\n"
                "int main(){std::vector<std::thread> t;int made=0;try{for(;;){t.emplace_back([]{sleep(100);});made++;}}"
                "catch(...){}std::printf(\"%d\\n\",made);std::fflush(stdout);for(;;)sleep(1);}", "cpp17")
    result = backend.run(exe, limits=Limits(cpu_time=1, wall_time=2, processes=16, memory_mb=512))
    assert result.status is Verdict.TLE
    assert 0 < int(result.stdout) < 16
    assert sandbox_processes() == before
    still_works()


def test_no_network_not_even_to_the_host(backend, build):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = []
    server.settimeout(3)
    thread = threading.Thread(target=lambda: accepted.append(_accept(server)), daemon=True)
    thread.start()
    exe = build(f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                f"    print('connected')\n"
                f"except OSError as e:\n    print('refused', e.errno)\n", "python3")
    result = backend.run(exe, limits=Limits(cpu_time=2, wall_time=5))
    thread.join()
    server.close()
    assert result.stdout.startswith(b"refused")
    assert accepted == [None]


def _accept(server):
    try:
        connection, _ = server.accept()
        connection.close()
        return "accepted"
    except OSError:
        return None


def test_writes_outside_the_box_fail_and_leave_nothing(backend, build):
    marker = f"cpforge-escape-{uuid.uuid4().hex}"
    targets = [f"/tmp/{marker}", f"/etc/{marker}", f"/{marker}", f"/root/{marker}", f"/box/../{marker}",
               f"/usr/{marker}", f"/dev/shm/{marker}", str(PROJECT_ROOT / marker)]
    program = "import os\nfor path in %r:\n    try:\n        open(path, 'w').write('x')\n" \
              "        print('wrote', path)\n" \
              "    except OSError as e:\n        print('denied', path, e.errno)\n" % (targets,)
    exe = build(program, "python3")
    result = backend.run(exe)
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(targets)
    for target in targets:
        assert not Path(target).exists(), f"{target} appeared on the host"
    # /tmp inside is the box's own scratch space; everything else must be refused outright.
    assert all(line.startswith("denied") for line in lines if f"/tmp/{marker}" not in line), lines


def test_reads_of_host_secrets_fail(backend, build):
    secrets = ["/etc/shadow", str(PROJECT_ROOT / "pyproject.toml"), "/root/.bashrc", "/root", str(PROJECT_ROOT),
               "/home", "/proc/1/environ", "/proc/1/mem"]
    program = "import os\nfor path in %r:\n    try:\n        if os.path.isdir(path):\n            os.listdir(path)\n" \
              "        else:\n            open(path, 'rb').read(1)\n        print('read', path)\n" \
              "    except OSError as e:\n        print('denied', path)\n" % (secrets,)
    exe = build(program, "python3")
    result = backend.run(exe)
    assert result.status is Verdict.OK
    assert all(line.startswith("denied") for line in result.stdout.decode().splitlines()), result.stdout


def test_runs_as_unprivileged_user_and_sees_only_its_processes(backend, build):
    exe = build("import os\nprint(os.getuid(), os.geteuid())\n"
                "others = sorted(int(p) for p in os.listdir('/proc') if p.isdigit() and int(p) != os.getpid())\n"
                "def role(pid):\n"
                "    try:\n"
                "        return open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\\0')[:7]\n"
                "    except OSError as error:\n"
                "        return repr(error)\n"
                "print([(pid, role(pid)) for pid in others])\n"
                "print(os.path.exists('/sys/fs/cgroup'))\n", "python3")
    result = backend.run(exe)
    uid_line, others_line, sys_line = result.stdout.decode().splitlines()
    assert uid_line.split() != ["0", "0"]
    others = ast.literal_eval(others_line)  # printed by our own test program
    # Besides the program: the box's PID 1 (the supervisor) and the pre-started interpreters
    # (zygotes) it keeps, nothing else.
    assert others[0][0] == 1, others
    for _pid, argv in others[1:]:
        assert isinstance(argv, list) and b"-c" in argv, others
        assert argv[argv.index(b"-c") + 1].startswith(b"import marshal, posix, sys"), others
    assert len(others) <= 3
    assert sys_line == "False"


def test_another_box_is_invisible(backend, build):
    secret = uuid.uuid4().hex
    writer = build(f"import time\nopen('secret.txt','w').write('{secret}')\nprint('written', flush=True)\n"
                   "time.sleep(1.5)\n",
                   "python3")
    reader = build("import os, glob\nhits = glob.glob('/proc/*/root/box/secret.txt') + glob.glob('/box/secret.txt')"
                   " + glob.glob('/*/secret.txt') + glob.glob('/tmp/*')\nprint(hits)\n", "python3")
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("w", backend.run(writer, limits=Limits(wall_time=5))))
    thread.start()
    import time
    time.sleep(0.5)
    seen = backend.run(reader, limits=Limits(cpu_time=5, wall_time=10))
    thread.join()
    assert result["w"].status is Verdict.OK
    assert seen.stdout.strip() == b"[]"


def test_kill_everything_and_killing_the_parent_hurt_only_the_sandbox(backend, build, still_works):
    sentinel = os.getpid()
    for program in ("#include <signal.h>\nint main(){kill(-1,SIGKILL);for(;;);}",
                    "#include <signal.h>\n#include <unistd.h>\nint main(){kill(getppid(),SIGKILL);kill(1,SIGKILL);"
                    "kill(getppid(),SIGTERM);return 3;}"):
        exe = build(program, "cpp17")
        result = backend.run(exe, limits=FAST)
        assert result.status in (Verdict.RE, Verdict.TLE)
        os.kill(sentinel, 0)  # the host is alive
        still_works()


def test_deep_recursion_gets_a_stack_as_large_as_memory(backend, build):
    exe = build("#include <cstdio>\nint depth(int n){volatile char pad[1000];pad[0]=n&1;return n?depth(n-1)+pad[0]:0;}"
                "int main(){std::printf(\"%d\\n\",depth(200000));}", "cpp17")  # about 200 MiB of stack
    result = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, memory_mb=256))
    assert result.status is Verdict.OK, result.message
    assert result.memory_bytes > 150 << 20
    small = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, memory_mb=256, stack_mb=8))
    assert small.status is Verdict.RE and small.signal_name == "SIGSEGV"


def test_compile_bombs_end_in_ce_within_limits(backend, need):
    need("cpp17")
    limits = CompileLimits(time=5, memory_mb=1024, diagnostics_bytes=4096)
    template_bomb = ("template<int N> struct F { static const long v = F<N-1>::v + F<N-2>::v + F<N-3>::v; };"
                     "template<> struct F<0>{static const long v=1;};template<> struct F<-1>{static const long v=1;};"
                     "template<> struct F<-2>{static const long v=1;};"
                     "template<class T,int D> struct B{using L=B<T*,D-1>;using R=B<T**,D-1>;enum{v=L::v+R::v};};"
                     "template<class T> struct B<T,0>{enum{v=1};};int main(){return B<int,40>::v+F<800>::v;}")
    random_include = '#include "/dev/random"\nint main(){}'
    flood = "#define A(x) x x x x x x x x x x\n#define B(x) A(A(A(x)))\nint main(){ B(B(undefined_thing;)) }"
    for source in (template_bomb, random_include, flood):
        result = backend.compile(source, "cpp17", limits)
        assert result.status is Verdict.CE, result.reason
        assert result.time < limits.time + 2
        assert len(result.diagnostics.encode()) <= limits.diagnostics_bytes
    assert "time" in backend.compile(template_bomb, "cpp17", limits).reason or True


def test_a_program_that_cannot_start_is_a_sandbox_error_not_re(backend):
    from sandbox.result import Executable

    ghost = Executable(language="cpp17", files={"other": b"\x7fELF"}, entry="sol", digest="x")
    result = backend.run(ghost)
    assert result.status is Verdict.SANDBOX_ERROR
    assert "could not start" in result.message


@pytest.mark.parametrize("name", ["c17", "python3", "cpp17-single-huge"])
def test_memory_bombs_are_mle_with_rlimits_alone(name):
    """Hosts whose memory cgroup does not work still get MLE, from rlimits and rusage."""
    from sandbox.backends.local import LocalBackend

    with LocalBackend(concurrency=1, use_cgroups=False) as bare_limits:
        compiled = bare_limits.compile(MEMORY_BOMBS[name], name.split("-")[0])
        assert compiled.ok
        result = bare_limits.run(compiled.executable, limits=Limits(cpu_time=5, wall_time=10, memory_mb=128))
        assert result.status is Verdict.MLE, (result.status, result.message)


# --------------------------------------------------------------------------- captured output
SWAP_STDOUT = """import os, sys
path = os.readlink('/proc/self/fd/1')
print('before', flush=True)
victim = path if path.startswith('/') and os.path.exists(path) else None
if victim:
    os.unlink(victim)
    {replace}
print('swapped' if victim else 'nothing to swap: ' + path, flush=True)
"""


@pytest.mark.timeout(120)
@pytest.mark.parametrize("replace", [
    "os.mkfifo(victim)",
    "os.mkdir(victim)",
    "open('/tmp/forged', 'w').write('42\\n'); os.symlink('/tmp/forged', victim)",
    "os.symlink('/etc/hostname', victim)",
], ids=["fifo", "directory", "symlink-to-forged-answer", "symlink-to-system-file"])
def test_swapping_the_captured_stdout_neither_hangs_nor_forges_output(backend, build, replace, still_works):
    exe = build(SWAP_STDOUT.replace("{replace}", replace), "python3")
    result = backend.run(exe, limits=FAST)
    assert result.status is Verdict.OK, (result.status, result.message)
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "before"
    assert b"42" not in result.stdout and b"cpforge-box" not in result.stdout
    still_works()


@pytest.mark.timeout(120)
def test_a_box_that_stops_answering_is_killed_and_the_run_retried(build):
    """Whatever wedges a box (here its supervisor is stopped from outside), the host's wait
    is bounded: the box is killed and replaced, and the run is retried on a fresh one."""
    import signal
    import time

    from sandbox.backends.local import box as local_box
    from sandbox.backends.local import LocalBackend

    with LocalBackend(concurrency=1) as single:
        compiled = single.compile("print(input())", "python3")
        wedged = single._idle.get_nowait()
        os.kill(wedged.supervisor_pid, signal.SIGSTOP)
        single._idle.put(wedged)
        grace, local_box.REPLY_GRACE = local_box.REPLY_GRACE, 1.0
        try:
            started = time.monotonic()
            result = single.run(compiled.executable, stdin=b"hello\n", limits=Limits(cpu_time=1, wall_time=1))
            took = time.monotonic() - started
        finally:
            local_box.REPLY_GRACE = grace
        assert result.status is Verdict.OK and result.stdout == b"hello\n", result.message
        assert 2.0 <= took < 30
        assert wedged.process.poll() is not None  # the wedged box is gone


TMPFS_FILLER = r"""
import os
n = 0
for directory in ('/box', '/tmp'):
    try:
        while True:
            with open(f'{directory}/fill{n}', 'wb') as handle:
                handle.write(b'x' * (8 << 20))
            n += 1
    except OSError:
        pass
print('filled', n, flush=True)
"""


@pytest.mark.timeout(120)
def test_filling_the_box_disk_is_not_a_judge_error(backend, build, still_works):
    exe = build(TMPFS_FILLER, "python3")
    result = backend.run(exe, limits=Limits(cpu_time=10, wall_time=20, memory_mb=64))
    assert result.status is not Verdict.SANDBOX_ERROR, result.message
    assert result.status is Verdict.OK and result.stdout.startswith(b"filled"), (result.status, result.message)
    still_works()


# --------------------------------------------------------------------------- state between runs
KEYRING_WRITER = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <mqueue.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
int main(void) {
    int rings[] = {-3, -4, -5};  /* session, user, user session keyrings */
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "cpforge-leak-%d", i);
        long key = syscall(SYS_add_key, "user", name, "secret", 6, rings[i]);
        printf("add %d %s\n", rings[i], key > 0 ? "ok" : "refused");
    }
    struct mq_attr attr = {0, 1, 8, 0};
    mqd_t q = mq_open("/cpforge-leak", O_CREAT | O_RDWR, 0600, &attr);
    printf("mq %s\n", q == (mqd_t)-1 ? "refused" : "ok");
    int shm = shmget(0x5eed, 4096, IPC_CREAT | 0600);
    printf("shm %s\n", shm < 0 ? "refused" : "ok");
    return 0;
}
"""

KEYRING_READER = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <mqueue.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
int main(void) {
    int rings[] = {-3, -4, -5};
    int found = 0;
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "cpforge-leak-%d", i);
        for (int j = 0; j < 3; j++)
            if (syscall(SYS_keyctl, 10 /* KEYCTL_SEARCH */, rings[j], "user", name, 0) > 0) {
                printf("key %s still in %d\n", name, rings[j]);
                found++;
            }
    }
    if (mq_open("/cpforge-leak", O_RDWR) != (mqd_t)-1) { puts("mq survived"); found++; }
    if (shmget(0x5eed, 0, 0) >= 0) { puts("shm survived"); found++; }
    printf("%d left\n", found);
    return 0;
}
"""


def test_keyrings_queues_and_shared_memory_do_not_survive_between_runs(build):
    """Two runs in the same warm box: nothing the first leaves in the kernel (keys in any
    keyring, a POSIX message queue, System V shared memory) is visible to the second."""
    from sandbox.backends.local import LocalBackend

    with LocalBackend(concurrency=1) as single:
        writer = single.compile(KEYRING_WRITER, "c17")
        reader = single.compile(KEYRING_READER, "c17")
        assert writer.ok and reader.ok, (writer.diagnostics, reader.diagnostics)
        box = single._idle.get_nowait()
        single._idle.put(box)
        wrote = single.run(writer.executable)
        assert wrote.status is Verdict.OK, wrote.message
        assert b"add -3 ok" in wrote.stdout  # the program could use its session keyring
        read = single.run(reader.executable)
        assert read.status is Verdict.OK, read.message
        assert read.stdout.decode().strip().endswith("0 left"), read.stdout.decode()
        if b"shm ok" not in wrote.stdout:
            assert box.runs >= 2  # no IPC object was left, so the same box ran both


def test_stale_cgroups_of_a_killed_process_are_removed_at_the_next_start(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from sandbox.backends.local.cgroups import probe_cgroups

    support = probe_cgroups()
    working = [c for c in support.controllers.values() if c.works]
    if not working:
        pytest.skip("no cgroup controller works on this host")
    script = ("from sandbox.backends.local import LocalBackend\nimport sys, time\n"
              "b = LocalBackend(concurrency=1)\nprint('ready', flush=True)\ntime.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=PROJECT_ROOT)
    try:
        assert child.stdout.readline().strip() == b"ready"
        stale = [c.base.parent / f"cpforge-{child.pid}" for c in working]
        assert all(path.exists() for path in stale)
        child.send_signal(signal.SIGKILL)
        child.wait()
        time.sleep(0.2)
        assert any(path.exists() for path in stale)  # nobody cleaned up
        probe_cgroups.cache_clear()
        from sandbox.backends.local import LocalBackend

        with LocalBackend(concurrency=1):
            assert not any(path.exists() for path in stale)
    finally:
        child.kill()
        child.wait()


# --------------------------------------------------------------------------- the process tree
CPU_CHILDREN = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}
int main(void) {
    int fds[2];
    pipe(fds);
    for (int i = 0; i < 3; i++) {
        if (fork() == 0) {
            close(fds[0]);
            volatile unsigned long x = 0;
            while (cpu() < 0.9) x++;
            _exit(0);
        }
    }
    close(fds[1]);
    char c;
    while (read(fds[0], &c, 1) > 0) {}
    WAIT_FOR_THEM
    puts("done");
    return 0;
}
"""


@pytest.mark.parametrize("reaped", [False, True], ids=["children-not-waited-for", "children-waited-for"])
def test_cpu_time_of_child_processes_is_counted(backend, build, reaped):
    source = CPU_CHILDREN.replace("WAIT_FOR_THEM", "while (wait(NULL) > 0) {}" if reaped else "")
    exe = build(source, "c17")
    result = backend.run(exe, limits=Limits(cpu_time=1, wall_time=20))
    assert result.status is Verdict.TLE and result.limit_fired == "cpu", (result.status, result.message)
    assert result.cpu_time > 1.0
    generous = backend.run(exe, limits=Limits(cpu_time=10, wall_time=20))
    assert generous.status is Verdict.OK, generous.message
    assert generous.cpu_time >= 2.6, generous.cpu_time


MEMORY_CHILD = r"""
import os, time
read, write = os.pipe()
if os.fork() == 0:
    held = b'c' * (220 << 20)
    os.write(write, b'x')
    time.sleep(1.0)
    os._exit(0)
os.close(write)
parent = b'p' * (100 << 20)
os.read(read, 1)
time.sleep(0.5)
os.wait()
print('done')
"""

SHARED_AFTER_FORK = r"""
import os, time
shared = b's' * (150 << 20)
if os.fork() == 0:
    time.sleep(1.0)
    os._exit(len(shared) & 1)
os.wait()
print('done')
"""


def test_memory_of_child_processes_is_counted(backend, build):
    exe = build(MEMORY_CHILD, "python3")
    result = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, memory_mb=256))
    assert result.status is Verdict.MLE, (result.status, result.message, result.memory_bytes >> 20)
    roomy = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, memory_mb=512))
    assert roomy.status is Verdict.OK, roomy.message
    assert roomy.memory_bytes >= 300 << 20


def test_pages_a_fork_shares_with_its_parent_are_counted_once(backend, build):
    exe = build(SHARED_AFTER_FORK, "python3")
    result = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, memory_mb=256))
    assert result.status is Verdict.OK, (result.status, result.message)
    assert 150 << 20 <= result.memory_bytes < 230 << 20


def test_memory_is_the_program_s_alone_not_the_supervisor_s(backend, build):
    exe = build("int main(void){return 0;}", "c17")
    result = backend.run(exe, limits=Limits(memory_mb=4))
    assert result.status is Verdict.OK, result.message
    assert result.memory_bytes < 4 << 20
    tiny = backend.run(exe, limits=Limits(memory_mb=1 / 1024))  # DMOJ's 1 KB grace test
    assert tiny.status is Verdict.MLE and tiny.limit_fired == "memory", (tiny.status, tiny.message)


@pytest.mark.parametrize("language,source", [
    ("cpp17", "#include <cstdio>\nstatic volatile char a[1 << 30];\n"
              "int main(){int i = 0; std::scanf(\"%d\", &i); a[i] = 1;"
              "std::printf(\"%d\\n\", a[i]);}"),
    ("c17", "#include <stdio.h>\nstatic volatile char a[1L << 34];\n"
            "int main(void){int i = 0; scanf(\"%d\", &i); a[i] = 1;"
            "printf(\"%d\\n\", a[i]);}"),
], ids=["cpp-1GiB-static", "c-16GiB-static"])
def test_a_static_array_larger_than_the_limit_is_mle(backend, build, language, source):
    exe = build(source, language)
    result = backend.run(exe, stdin=b"5\n", limits=Limits(memory_mb=256))
    assert result.status is Verdict.MLE and result.limit_fired == "memory", (result.status, result.message)
    assert "static memory" in result.message
    roomy = backend.run(exe, stdin=b"5\n", limits=Limits(memory_mb=32768))
    assert roomy.status is Verdict.OK and roomy.stdout == b"1\n", (roomy.status, roomy.message)


@pytest.mark.parametrize("language,source", [
    ("cpp17", "#include <thread>\n#include <cstdio>\nint main(){int x=0;std::thread t([&]{x=41;});t.join();"
              "std::thread u([&]{x++;});u.join();std::printf(\"%d\\n\",x);}"),
    ("python3", "import threading\nout = []\nts = [threading.Thread(target=out.append, args=(i,)) for i in range(4)]\n"
                "[t.start() for t in ts]\n[t.join() for t in ts]\nprint(41 + len(out) // 4)\n"),
], ids=["cpp", "python"])
def test_ordinary_threaded_programs_run(backend, build, language, source):
    exe = build(source, language)
    result = backend.run(exe, limits=Limits(memory_mb=256))
    assert result.status is Verdict.OK, (result.status, result.message, result.stderr[-500:])
    assert result.stdout.strip() == b"42"


JAVA_THREADS = """public class Main {
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 1000; i++) {
            Thread t = new Thread(() -> { try { Thread.sleep(5000); } catch (InterruptedException e) {} });
            t.setDaemon(true);
            t.start();
        }
        System.out.println("started all");
    }
}
"""


@pytest.mark.parametrize("language,source", [
    ("java17", JAVA_THREADS),
    ("cpp17", "#include <thread>\n#include <vector>\n#include <unistd.h>\nint main(){std::vector<std::thread> t;"
              "for(int i=0;i<1000;i++)t.emplace_back([]{sleep(5);});for(auto&x:t)x.join();}"),
], ids=["java", "cpp"])
def test_hitting_the_thread_limit_is_reported_as_such(backend, build, language, source):
    exe = build(source, language)
    result = backend.run(exe, limits=Limits(cpu_time=5, wall_time=10, memory_mb=512, processes=64))
    assert result.status is Verdict.RE and result.limit_fired == "processes", (result.status, result.message)
    assert "64 processes and threads" in result.message


def test_without_the_native_launcher_the_verdicts_are_the_same(build):
    """Hosts without a C compiler run programs by forking the supervisor: slower, and
    memory includes the supervisor's pages, but tree CPU, limits and captures hold."""
    from sandbox.backends.local import LocalBackend

    with LocalBackend(concurrency=1, native_launcher=False) as forking:
        adder = forking.compile("a, b = map(int, input().split())\nprint(a + b)\n", "python3")
        ok = forking.run(adder.executable, stdin=b"20 22\n")
        assert ok.status is Verdict.OK and ok.stdout == b"42\n", ok.message
        burner = forking.compile(CPU_CHILDREN.replace("WAIT_FOR_THEM", ""), "c17")
        assert burner.ok, burner.diagnostics
        slow = forking.run(burner.executable, limits=Limits(cpu_time=1, wall_time=20))
        assert slow.status is Verdict.TLE and slow.limit_fired == "cpu", slow.message
        swapped = forking.run(forking.compile(SWAP_STDOUT.replace("{replace}", "os.mkfifo(victim)"),
                                              "python3").executable, limits=FAST)
        assert swapped.status is Verdict.OK and swapped.stdout.startswith(b"before"), swapped.message
