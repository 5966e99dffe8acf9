"""A pre-started Python interpreter (a zygote) that each Python run of a warm box forks from.

Most of a Python test's cost is the interpreter starting (8-14 ms of CPU for CPython, 30-40 ms
for PyPy) before the solution's first line. A zygote has already started; between runs it
forks a *prepared child*, which waits for the next run's request exactly like the native
launcher's prepared child (same socket protocol, same reports; see native/launcher.c) and,
when the request is an ordinary start of this interpreter (`python3 -I -S -B sol.py`, or
`-c CODE`, which the syntax check uses), runs the program in-process instead of exec'ing a
new interpreter. Any other request is exec'd as the launcher would.

What the program sees is a fresh start: a new `__main__`, `sys.argv`/`sys.path`/`sys.orig_argv`
as the command line would give them, only the modules a cold start of the same interpreter
has (everything the zygote imported is dropped from `sys.modules`), stdin/stdout/stderr as
the interpreter makes them for the run's descriptors (the zygote's own, never used, when the
descriptors are of the kinds it started on, as a judged run's are; else made anew), the run's
environment, rlimits,
directory, session and keyring. Its process is a fresh fork, so nothing it does (imports,
monkeypatched builtins, threads, memory) reaches the zygote or the next run; its files go
with the box's wipe. Two things differ from a cold start, and are documented: its CPU time
does not include the interpreter's start-up, and `hash()` of str/bytes is seeded once per
zygote rather than once per run. Its peak memory is made to read as a cold start's: the
zygote measures an empty program forked from it once, and the supervisor adds the gap
between that and the interpreter's own start-up peak to every run (within 2 MiB of a cold
start, measured for CPython and PyPy).

The zygote is out of the program's reach although both run as the box's one uid: it is not
dumpable (no ptrace, no /proc/<pid>/mem or fd peeking), its control socket is closed in every
child before the program runs, the child is born the supervisor's own child (one clone with
CLONE_PARENT on CPython, a double fork on PyPy), for exact rusage and waiting, and before each fork it checks that
nobody changed its rlimits, scheduling priority or CPU affinity (the calls a same-uid process
may make on another); if anything changed, it exits and the supervisor starts a new one.

Like the supervisor, this file is standalone source handed to the box's interpreter with
`-c`: it imports only modules that are built into every CPython and PyPy it supports, so
the zygote's own footprint (and so the program's starting memory) stays within a few hundred
KiB of a cold start's.
"""

import sys

# First of all: what a cold start of this interpreter has loaded. Everything else is the
# zygote's own and is dropped before a program runs.
_BASELINE = frozenset(sys.modules)

import posix  # noqa: E402  (built in; `os` is not loaded by a cold `-S` start)
import _socket  # noqa: E402

CONTROL_FD = 3
STDIO_FDS = 3
MAX_REQUEST = 4 << 20
_RLIMITS = {"cpu": 0, "fsize": 1, "stack": 3, "core": 4, "nproc": 6, "nofile": 7, "memlock": 8, "as": 9,
            "msgqueue": 12}
_ALL_RLIMITS = tuple(range(16))
_SYSCALLS = {"x86_64": {"prctl": 157, "keyctl": 250, "prlimit64": 302, "clone": 56},
             "aarch64": {"prctl": 167, "keyctl": 219, "prlimit64": 261, "clone": 220}}
CLONE_PARENT, SIGCHLD = 0x8000, 17
PR_SET_DUMPABLE = 4
KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_CLEAR = 1, 7
KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING = -4, -5


# --------------------------------------------------------------------------- syscalls
def _cpython_function(name, handle, python_api=False, arguments=6):
    """The C function `name` of a dlopen handle through CPython's own `_ctypes`: `arguments`
    longs in, a long out (none for a function of no arguments). `python_api` calls it as
    ctypes calls the interpreter's C API: with the interpreter lock held throughout."""
    import _ctypes

    class Long(_ctypes._SimpleCData):
        _type_ = "l"

    class Function(_ctypes.CFuncPtr):
        _flags_ = _ctypes.FUNCFLAG_CDECL | (_ctypes.FUNCFLAG_PYTHONAPI if python_api else _ctypes.FUNCFLAG_USE_ERRNO)
        _restype_ = Long if arguments else None
        _argtypes_ = (Long,) * arguments

    class Library:
        _handle = handle

    return Function((name, Library))


def _syscall_function():
    """`syscall(number, *args)` through the interpreter's own low-level FFI (`_ctypes` on
    CPython, `_rawffi.alt` on PyPy, both already in memory or nearly so), without the
    `ctypes` package and its megabyte of Python objects."""
    if sys.implementation.name == "pypy":
        from _rawffi.alt import CDLL, types

        libc = CDLL("libc.so.6")
        function = libc.getfunc("syscall", [types.slong] * 6, types.slong)
        trim = libc.getfunc("malloc_trim", [types.ulong], types.sint)
    else:
        import _ctypes

        libc = _ctypes.dlopen("libc.so.6", 2)
        function = _cpython_function("syscall", libc)
        trim = _cpython_function("malloc_trim", libc)

    def call(number, *args):
        return function(number, *(list(args) + [0] * (5 - len(args))))

    return call, (lambda: trim(0) if sys.implementation.name == "pypy" else trim(0, 0, 0, 0, 0, 0))


def _sibling_fork_function():
    """CPython only: `fork()` as one clone(CLONE_PARENT) system call, so the prepared child
    is born the supervisor's own child (the zygote's parent) and no middle process has to
    fork and exit to hand it over: that middle process cost about 0.6 ms of CPU per run,
    a seventh of a Python test's. The interpreter's own fork bookkeeping runs around it
    (PyOS_BeforeFork and the AfterFork pair, as `os.fork` does), with the interpreter lock
    held throughout. Returns None where this is not available (PyPy, an unknown machine,
    an interpreter that does not export its C API): the zygote then forks twice."""
    number = _NUMBERS.get("clone")
    if sys.implementation.name != "cpython" or number is None:
        return None
    try:
        import _ctypes

        clone = _cpython_function("syscall", _ctypes.dlopen("libc.so.6", 2), python_api=True)
        interpreter = _ctypes.dlopen(None, 2)  # the C API, which the interpreter exports
        before, parent, child = (_cpython_function(name, interpreter, python_api=True, arguments=0) for name in
                                 ("PyOS_BeforeFork", "PyOS_AfterFork_Parent", "PyOS_AfterFork_Child"))
    except (AttributeError, OSError):
        return None

    def sibling_fork():
        before()
        pid = clone(number, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0)
        if pid == 0:
            child()
        else:
            parent()  # also after a failure (-1), which the caller answers with a plain fork
        return pid

    return sibling_fork


_syscall, _trim = _syscall_function()
_NUMBERS = _SYSCALLS.get(posix.uname().machine, {})
_sibling_fork = _sibling_fork_function()


def _sys(name, *args):
    number = _NUMBERS.get(name)
    return -1 if number is None else _syscall(number, *args)


def _limits_snapshot():
    """What a same-uid process could change about this one: every rlimit (prlimit), the
    nice value (setpriority) and the CPU affinity (sched_setaffinity)."""
    import resource

    limits = []
    for number in _ALL_RLIMITS:
        try:
            limits.append(resource.getrlimit(number))
        except (ValueError, OSError):
            limits.append(None)
    affinity = getattr(posix, "sched_getaffinity", None)  # PyPy 3.9 lacks it
    return (tuple(limits), posix.getpriority(posix.PRIO_PROCESS, 0),
            frozenset(affinity(0)) if affinity is not None else None)


# --------------------------------------------------------------------------- the zygote
def serve(interpreter):
    """Forks a prepared child for each `p` message (which carries the child's socket),
    until the supervisor closes the control socket."""
    _sys("prctl", PR_SET_DUMPABLE, 0)
    control = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM, 0, CONTROL_FD)
    untouched = _limits_snapshot()
    calibrated = False
    while True:
        try:
            message, ancillary, _flags, _address = control.recvmsg(1, _socket.CMSG_SPACE(4))
        except InterruptedError:
            continue
        if not message:
            posix._exit(0)
        fds = _received_fds(ancillary)
        if len(fds) != 1:
            posix._exit(2)
        if _limits_snapshot() != untouched:
            posix._exit(3)  # tampered with: the supervisor starts a fresh zygote
        _freeze_heap()
        if not calibrated:
            # What a forked run's memory is counted from (the supervisor's
            # _Zygote.cold_start_equivalent): the interpreter's start-up peak, as the
            # bootstrap read it before this file ran, and an empty program's peak forked
            # from here, measured in the state every later child is forked in.
            startup_peak = int(globals().get("_STARTUP_PEAK", 0))
            control.sendall(b"H" + startup_peak.to_bytes(8, sys.byteorder)
                            + _forked_empty_peak(control.fileno(), interpreter).to_bytes(8, sys.byteorder))
            calibrated = True
        _fork_prepared_child(control.fileno(), fds[0], interpreter)


def _forked_empty_peak(control_fd, interpreter):
    """The peak memory (ru_maxrss, as the supervisor measures runs) of an empty program
    run exactly as every run is: a prepared child of this zygote, handed a launcher
    request for `interpreter /dev/null` with /dev/null for its stdio. It is this process's
    own child (a plain fork), so that its rusage comes back here; 0 if it could not be
    measured."""
    ours, theirs = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        child = posix.fork()
        if child == 0:
            ours.close()
            _prepared_child(control_fd, theirs.detach(), interpreter)  # never returns
        theirs.close()
        null = posix.open("/dev/null", posix.O_RDWR)
        try:
            env = [f"{key.decode('utf-8', 'surrogateescape')}={value.decode('utf-8', 'surrogateescape')}"
                   for key, value in posix.environ.items()]
            argv = [*interpreter, "/dev/null"]  # an empty script: a file read, compiled, run
            body = "\0".join([f"0 {len(env)} {len(argv)}", "/", *env, *argv]).encode("utf-8", "surrogateescape")
            ours.sendmsg([len(body).to_bytes(4, sys.byteorder)],
                         [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, b"".join(
                             null.to_bytes(4, sys.byteorder, signed=True) for _ in range(STDIO_FDS)))])
            ours.sendall(body)
        finally:
            posix.close(null)
        _pid, _status, usage = posix.wait4(child, 0)
        return int(usage.ru_maxrss) * 1024
    except OSError:
        return 0
    finally:
        ours.close()


def _freeze_heap():
    """Gives the zygote's garbage back (a collection, then glibc's malloc_trim, so the
    children start from as small a heap as it can have), then moves every object it holds
    out of the collector's reach (CPython's gc.freeze): a child's collections then never
    walk, and so never copy, the pages it shares with the zygote, and `gc.get_objects()` in
    the child lists only its own."""
    import gc

    gc.collect()
    _trim()
    freeze = getattr(gc, "freeze", None)
    if freeze is not None:
        freeze()


def _received_fds(ancillary):
    fds = []
    for level, kind, data in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            usable = len(data) - len(data) % 4
            fds.extend(int.from_bytes(data[i:i + 4], sys.byteorder, signed=True) for i in range(0, usable, 4))
    return fds


def _report(fd, kind, value, text=b""):
    """A launcher report record on the prepared child's socket (SIGPIPE is ignored here, so
    a supervisor that has gone only gives EPIPE)."""
    try:
        posix.write(fd, kind + value.to_bytes(4, sys.byteorder, signed=True) + text[:590])
    except OSError:
        pass


def _fork_prepared_child(control_fd, child_socket, interpreter):
    """Forks the prepared child as the supervisor's own child, so that its rusage and exit
    reach the supervisor exactly as a launcher-started program's do: in one clone where
    `_sibling_fork` can, else with two forks and the middle process exiting (orphans go to
    the box's PID 1). 'P' + pid goes out only once the child is the supervisor's, so the
    supervisor never waits for a process that is not yet its own."""
    if _sibling_fork is not None:
        child = _sibling_fork()
        if child == 0:
            _prepared_child(control_fd, child_socket, interpreter)  # never returns
        if child > 0:
            _report(child_socket, b"P", child)
            posix.close(child_socket)
            return
    pid_read, pid_write = posix.pipe()
    try:
        middle = posix.fork()
    except OSError as error:
        posix.close(pid_read)
        posix.close(pid_write)
        _report(child_socket, b"E", error.errno or 0, f"zygote fork: {error}".encode())
        posix.close(child_socket)
        return
    if middle == 0:
        posix.close(pid_read)
        try:
            child = posix.fork()
        except OSError:
            posix._exit(1)
        if child == 0:
            posix.close(pid_write)
            _prepared_child(control_fd, child_socket, interpreter)  # never returns
        posix.write(pid_write, child.to_bytes(4, sys.byteorder))
        posix._exit(0)
    posix.close(pid_write)
    posix.waitpid(middle, 0)
    data = posix.read(pid_read, 4)
    posix.close(pid_read)
    if len(data) == 4:
        _report(child_socket, b"P", int.from_bytes(data, sys.byteorder))
    else:
        _report(child_socket, b"E", 0, b"the zygote's middle process failed to fork")
    posix.close(child_socket)


# --------------------------------------------------------------------------- the prepared child
def _prepared_child(control_fd, child_socket, interpreter):
    """What the launcher's prepared child does (keyring, OOM score, session), then waits for
    the run's request on fd 3. Exits through the program's end, or with 127 unrun."""
    posix.close(control_fd)
    if child_socket != CONTROL_FD:
        posix.dup2(child_socket, CONTROL_FD)
        posix.close(child_socket)
    _sys("prctl", PR_SET_DUMPABLE, 1)  # the program's own /proc entries, as after an exec
    _sys("keyctl", KEYCTL_JOIN_SESSION_KEYRING, 0)
    _sys("keyctl", KEYCTL_CLEAR, KEY_SPEC_USER_KEYRING)
    _sys("keyctl", KEYCTL_CLEAR, KEY_SPEC_USER_SESSION_KEYRING)
    try:
        fd = posix.open("/proc/self/oom_score_adj", posix.O_WRONLY | posix.O_CLOEXEC)
        posix.write(fd, b"1000")
        posix.close(fd)
    except OSError:
        pass
    posix.setsid()
    try:
        directory, limits, env, argv, stdio = _read_request()
    except _NoRun:
        posix._exit(127)
    except Exception as error:  # a malformed request: reported like an exec failure
        _fail(getattr(error, "errno", 0) or 22, f"request: {error}")
    for target, fd in enumerate(stdio):
        posix.dup2(fd, target)
        posix.close(fd)
    posix.set_inheritable(CONTROL_FD, False)
    posix.closerange(CONTROL_FD + 1, 1 << 16)
    try:
        posix.chdir(directory)
    except OSError as error:
        _fail(error.errno, f"chdir {directory}: {error.strerror}")
    import resource

    for name, soft, hard in limits:
        try:
            resource.setrlimit(_RLIMITS[name], (soft, hard))
        except (KeyError, ValueError, OSError) as error:
            _fail(getattr(error, "errno", 0) or 22, f"setrlimit {name}: {error}")
    start = _in_process_start(argv, interpreter)
    if start is None or not _same_locale(env):
        _exec(argv, env)
    _run_program(*start, argv, env)


class _NoRun(Exception):
    """The supervisor closed the socket instead of sending a run: the box is closing."""


def _recv_exactly(sock, size, with_fds):
    data, fds = b"", []
    while len(data) < size:
        chunk, ancillary, _flags, _address = sock.recvmsg(size - len(data),
                                                          _socket.CMSG_SPACE(4 * STDIO_FDS) if with_fds else 0)
        if not chunk:
            raise _NoRun()
        if with_fds:
            fds = _received_fds(ancillary)
            with_fds = False
        data += chunk
    return data, fds


def _read_request():
    """The launcher's request format: a 4-byte length with stdin, stdout and stderr
    attached, then NUL-terminated strings: the three counts, the directory, NAME=SOFT:HARD
    limits, KEY=VALUE environment, argv."""
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM, 0, posix.dup(CONTROL_FD))
    head, stdio = _recv_exactly(sock, 4, True)
    if len(stdio) != STDIO_FDS:
        raise ValueError("the request came without its stdio")
    length = int.from_bytes(head, sys.byteorder)
    if not 0 < length <= MAX_REQUEST:
        raise ValueError("request of a bad size")
    body, _ = _recv_exactly(sock, length, False)
    sock.close()
    strings = [part.decode("utf-8", "surrogateescape") for part in body.split(b"\0")]
    counts = [int(n) for n in strings[0].split()]
    directory = strings[1]
    limit_specs = strings[2:2 + counts[0]]
    env = strings[2 + counts[0]:2 + counts[0] + counts[1]]
    argv = strings[2 + counts[0] + counts[1]:2 + counts[0] + counts[1] + counts[2]]
    if len(argv) != counts[2] or not argv:
        raise ValueError("request header")
    limits = []
    for spec in limit_specs:
        name, _, values = spec.partition("=")
        soft, _, hard = values.partition(":")
        limits.append((name, -1 if soft == "-1" else int(soft), -1 if hard == "-1" else int(hard)))
    return directory, limits, env, argv, stdio


def _fail(number, text):
    """An 'X' report: the program could not be started (as the launcher's exec failure)."""
    _report(CONTROL_FD, b"X", int(number), text.encode("utf-8", "replace"))
    posix._exit(127)


def _exec(argv, env):
    """A request this interpreter does not run in-process: exec it as the launcher does."""
    program = argv[0]
    candidates = [program]
    if "/" not in program:
        path = next((item[5:] for item in env if item.startswith("PATH=")), "/usr/local/bin:/usr/bin:/bin")
        candidates = [f"{folder or '.'}/{program}" for folder in path.split(":")]
    error = None
    for candidate in candidates:
        try:
            posix.execve(candidate, argv, dict(item.split("=", 1) for item in env if "=" in item))
        except OSError as failure:
            error = failure
    _fail(error.errno if error else 2, f"exec {program}: {error.strerror if error else 'not found'}")


_LOCALE_VARIABLES = (b"LANG", b"LC_ALL", b"LC_CTYPE", b"LANGUAGE")
_STARTED_LOCALE = tuple(posix.environ.get(name) for name in _LOCALE_VARIABLES)


def _same_locale(env):
    """The interpreter chose its stdio encoding from the locale it started under: a run
    asking for another one is exec'd cold."""
    wanted = dict(item.encode("utf-8", "surrogateescape").split(b"=", 1) for item in env if "=" in item)
    return tuple(wanted.get(name) for name in _LOCALE_VARIABLES) == _STARTED_LOCALE


def _in_process_start(argv, interpreter):
    """(kind, script path or code, the program's sys.argv) when argv starts this very
    interpreter the way the zygote itself was started; None for anything else."""
    prefix = len(interpreter)
    if tuple(argv[:prefix]) != interpreter or len(argv) == prefix:
        return None
    first = argv[prefix]
    if first == "-c" and len(argv) > prefix + 1:
        return "command", argv[prefix + 1], ["-c", *argv[prefix + 2:]]
    if first.startswith("-"):
        return None
    return "script", first, argv[prefix:]


# --------------------------------------------------------------------------- running the program
def _run_program(kind, what, program_args, argv, env):
    """Turns this process into a fresh start of the program. Never returns: the program's
    end (or SystemExit) goes through the interpreter's normal exit (atexit, flushing,
    joining threads), as a cold start's does."""
    if kind == "script":
        path = what if what.startswith("/") else f"{posix.getcwd()}/{what}"
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError as error:
            posix.write(2, f"{argv[0]}: can't open file {path!r}: [Errno {error.errno}] {error.strerror}\n".encode())
            posix._exit(2)
    else:
        path, source = "<string>", what.encode("utf-8", "surrogateescape")
    # 'Z' tells the supervisor this run did not start an interpreter; then the report
    # channel closes, so nothing the program does can pass for a report.
    posix.write(CONTROL_FD, b"Z")
    posix.close(CONTROL_FD)
    _fresh_environment(env)
    if not (_REUSABLE_STDIO and _stdio_like_a_judged_run()):
        _fresh_stdio()
    _fresh_modules()
    main = _fresh_main(kind, path)
    sys.argv = program_args
    if hasattr(sys, "orig_argv"):
        sys.orig_argv = list(argv)
    if not getattr(sys.flags, "safe_path", False) and sys.path and sys.path[0] == "":
        # Without safe_path the interpreter puts the script's directory (or "" for -c)
        # first; the zygote itself was started with -c, so its first entry is "".
        if kind == "script":
            sys.path[0] = path.rsplit("/", 1)[0] or "/"
    _execute(source, path, main)


def _fresh_environment(env):
    wanted = dict(item.split("=", 1) for item in env if "=" in item)
    if "os" in sys.modules:  # PyPy loads os at start-up: its environ writes through
        environ = sys.modules["os"].environ
        environ.clear()
        environ.update(wanted)
        return
    for key in list(posix.environ):
        posix.unsetenv(key)
    posix.environ.clear()
    for key, value in wanted.items():
        posix.putenv(key, value)
        posix.environ[key.encode("utf-8", "surrogateescape")] = value.encode("utf-8", "surrogateescape")


def _fresh_modules():
    for name in list(sys.modules):
        if name not in _BASELINE:
            del sys.modules[name]


_S_IFMT, _S_IFREG, _S_IFIFO = 0o170000, 0o100000, 0o010000
# What a judged run's stdio is (the supervisor's memory files for stdin and stdout, a pipe
# for stderr), and what the supervisor starts every zygote on.
_JUDGED_RUN_STDIO = (_S_IFREG, _S_IFREG, _S_IFIFO)


def _stdio_like_a_judged_run():
    """Whether fds 0-2 are of the kinds a judged run's are: files at offset 0 for stdin
    and stdout, a pipe for stderr."""
    try:
        for fd, kind in enumerate(_JUDGED_RUN_STDIO):
            if posix.fstat(fd).st_mode & _S_IFMT != kind:
                return False
            if kind == _S_IFREG and posix.lseek(fd, 0, 1) != 0:
                return False
    except OSError:
        return False
    return True


def _pristine_stdio():
    """Whether the streams the zygote's interpreter made at start-up can serve a run as
    they are. They can when they sit on descriptors of a judged run's kinds and were never
    used (nothing read, nothing written, nothing waiting in a buffer): the interpreter
    would make exactly these objects for the run's own descriptors, since all it records
    of a descriptor is its number, kind, block size and offset (0). That saves the run the
    making of three streams, a tenth of its CPU. Any other run makes its own."""
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if streams != (sys.__stdin__, sys.__stdout__, sys.__stderr__) or None in streams:
        return False
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a write that was waiting failed (stderr's reader is gone): not pristine
        return False
    return _stdio_like_a_judged_run()


_REUSABLE_STDIO = _pristine_stdio()


def _fresh_stdio():
    """New text streams on fds 0-2, made as the interpreter makes them at start-up (so a
    pipe is not taken for the seekable file the zygote's stdin was)."""
    import _io

    old = (sys.__stdin__, sys.__stdout__, sys.__stderr__)
    streams = []
    for fd, (mode, stream) in enumerate(zip("rww", old)):
        buffered = _io.open(fd, mode + "b", -1, closefd=False)
        # The zygote's own streams were made by this interpreter for non-terminals, as
        # the sandbox's are: their buffering policy is the one to copy.
        text = _io.TextIOWrapper(buffered, encoding=stream.encoding, errors=stream.errors, newline="\n",
                                 line_buffering=stream.line_buffering,
                                 write_through=getattr(stream, "write_through", False))
        text.mode = mode
        streams.append(text)
    sys.stdin, sys.stdout, sys.stderr = streams
    # The originals too, as a fresh start has them (typeshed calls them Final; they are not).
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams  # type: ignore[misc]


def _fresh_main(kind, path):
    import _frozen_importlib_external

    main = type(sys)("__main__")
    namespace = main.__dict__
    namespace.update(__annotations__={}, __builtins__=sys.modules["builtins"], __package__=None, __spec__=None)
    if kind == "script":
        namespace.update(__file__=path, __cached__=None,
                         __loader__=_frozen_importlib_external.SourceFileLoader("__main__", path))
    else:
        namespace["__loader__"] = sys.modules["_frozen_importlib"].BuiltinImporter
    sys.modules["__main__"] = main
    return main


def _execute(source, path, main):
    """Runs the program and ends the process as the interpreter's own top level would: an
    uncaught exception is printed (without the zygote's frames) and exits with 1; the end,
    or SystemExit, goes through `_leave`."""
    excepthook = sys.excepthook
    compiling = True
    try:
        code = compile(source, path, "exec")
        compiling = False
        exec(code, main.__dict__)
    except SystemExit as leaving:
        _leave(_exit_status(leaving.code))
    except BaseException as error:  # the interpreter's own top level catches everything too
        frames = error.__traceback__
        if frames is not None and frames.tb_next is not None:
            frames = frames.tb_next  # the first frame is this function's
        # Only the script's own compile error is reported without a traceback, as the
        # interpreter reports it; a SyntaxError the program raises (exec, compile) has one.
        error = error.with_traceback(None if compiling and isinstance(error, SyntaxError) else frames)
        excepthook(type(error), error, error.__traceback__)
        if isinstance(error, KeyboardInterrupt):
            import signal

            sys.stdout.flush()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            posix.kill(posix.getpid(), signal.SIGINT)
        _leave(1)
    _leave(0)


def _exit_status(code):
    """SystemExit's code as the interpreter turns it into an exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        sys.stderr.write(f"{code}\n")
    except Exception:  # as the interpreter: never fail on the way out
        pass
    return 1


def _leave(status):
    """The parts of the interpreter's exit a program can observe: non-daemon threads are
    joined, atexit handlers run, and every file it left open is flushed (TextIOWrappers
    first, then the buffers under them), with stdout last; a failed stdout flush exits 120
    as CPython's does. Then the process ends without tearing the heap down object by
    object, which in a fork would copy every page shared with the zygote (5 ms here) for
    nothing anyone can see. PyPy tears nothing down at exit anyway, so it exits normally."""
    if sys.implementation.name != "cpython":
        raise SystemExit(status)
    threading = sys.modules.get("threading")
    if threading is not None:
        threading._shutdown()
    import atexit
    import gc
    import _io

    atexit._run_exitfuncs()
    stdout = sys.stdout
    files = [item for item in gc.get_objects() if isinstance(item, _io._IOBase) and item is not stdout]
    # The interpreter's own streams, when the run kept the zygote's, are frozen out of
    # gc.get_objects(); they are flushed as every other file is.
    files += [item for item in (sys.__stderr__, sys.__stdout__, sys.stderr)
              if item is not None and item is not stdout and not any(item is known for known in files)]
    files.sort(key=lambda item: not isinstance(item, _io.TextIOWrapper))
    for item in files:
        try:
            if not item.closed:
                item.flush()
        except Exception:  # a broken file of the program's is its own business
            pass
    try:
        if stdout is not None and not stdout.closed:
            stdout.flush()
    except Exception as error:
        try:
            sys.stderr.write(f"Exception ignored in: {stdout!r}\n{type(error).__name__}: {error}\n")
            sys.stderr.flush()
        except Exception:
            pass
        status = 120
    posix._exit(status)


if __name__ == "__main__":
    # Started with `interpreter *flags -c SOURCE *flags-again`: the tail is the interpreter
    # command this zygote stands for. The supervisor starts it under an unlimited stack
    # limit, as programs run by default, because the kernel lays out a process's memory at
    # exec from that limit (each child then sets the run's own).
    serve(tuple(sys.argv[1:]))
