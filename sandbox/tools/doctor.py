"""What this host offers, and therefore which protections are in force."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sandbox.backends.local.cgroups import probe_cgroups
from sandbox.languages import LANGUAGES, Language
from sandbox.limits import Limits
from sandbox.result import Verdict

if TYPE_CHECKING:
    from sandbox.backends.base import Backend

SELF_TEST_LIMITS = Limits(cpu_time=10, memory_mb=512)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    toolchains: dict[str, str | None] = field(default_factory=dict)
    # language id -> "ok", "unavailable" or "failed: <why>"
    self_tests: dict[str, str] = field(default_factory=dict)
    protections: list[str] = field(default_factory=list)
    accounting: list[str] = field(default_factory=list)
    sandbox_ok: bool = False

    def as_dict(self) -> dict:
        return {"sandbox_ok": self.sandbox_ok, "checks": [c.__dict__ for c in self.checks],
                "toolchains": self.toolchains, "self_tests": self.self_tests, "protections": self.protections,
                "accounting": self.accounting}


def _read(path: str) -> str | None:
    try:
        with open(path) as handle:
            return handle.read().strip()
    except OSError:
        return None


def run_self_test(backend: Backend, lang: Language) -> Check:
    """Compiles and runs `lang`'s self-test in `backend`'s sandbox: ok only when it prints
    exactly the expected output. A missing toolchain is not ok, with the packages to install."""
    name = f"self-test {lang.id}"
    if not backend.available(lang):
        hint = f" (apt-get install {' '.join(lang.packages)})" if lang.packages else ""
        return Check(name, False, f"unavailable: toolchain not installed{hint}")
    test = lang.self_test
    if test is None:
        return Check(name, False, "failed: the language plug-in has no self-test")
    compiled = backend.compile(test.source, lang)
    if not compiled.ok or compiled.executable is None:
        first = compiled.diagnostics.strip().splitlines()[:1]
        detail = f"failed: {compiled.status.value} {compiled.reason}" + (f": {first[0]}" if first else "")
        return Check(name, False, detail)
    result = backend.run(compiled.executable, stdin=test.stdin, limits=SELF_TEST_LIMITS)
    if result.status is not Verdict.OK:
        detail = result.message or result.stderr.decode(errors="replace").strip()[-200:]
        return Check(name, False, f"failed: {result.status.value} {detail}".rstrip())
    if result.stdout != test.stdout:
        return Check(name, False, f"failed: printed {result.stdout[:200]!r}, expected {test.stdout!r}")
    return Check(name, True, f"passed ({compiled.time:.2f} s compile{', cached' if compiled.cached else ''}, "
                             f"{result.wall_time:.3f} s run)")


def _self_test_checks(backend: Backend, report: Report) -> list[Check]:
    """Every registered language's self-test, as checks and in `report.self_tests`."""
    checks = []
    for lang in LANGUAGES.values():
        check = run_self_test(backend, lang)
        checks.append(check)
        unavailable = check.detail.startswith("unavailable")
        report.self_tests[lang.id] = "ok" if check.ok else "unavailable" if unavailable else check.detail
    return checks


def _compile_speed_checks(backend) -> list[Check]:
    """Whether C++ compiles really load the precompiled header (GCC is asked with -H in a
    box; building it the first time takes a few seconds), and the compile cache's state."""
    from sandbox.compile.pch_probe import probe_precompiled_header

    checks = []
    for lang in LANGUAGES.values():
        if lang.precompiled_header is None or not backend.available(lang):
            continue
        if getattr(backend, "pch", None) is None:
            checks.append(Check(f"pch {lang.id}", False, "disabled (CPFORGE_PCH=off, or bubblewrap < 0.5)"))
            continue
        probe = probe_precompiled_header(backend, lang)
        checks.append(Check(f"pch {lang.id}", probe.used, ("in use: " if probe.used else "") + probe.detail))
    cache = backend.compile_cache
    if cache.enabled:
        entries, size = cache.usage()
        detail = (f"{cache.directory}: {entries} entries, {size / 2**20:.1f} of {cache.max_bytes >> 20} MiB "
                  "(CPFORGE_COMPILE_CACHE_MB)")
    else:
        detail = "disabled (CPFORGE_COMPILE_CACHE_MB=0)"
    checks.append(Check("compile cache", cache.enabled, detail))
    return checks


def examine() -> Report:
    report = Report()
    bwrap = shutil.which("bwrap")
    version = None
    if bwrap:
        version = subprocess.run([bwrap, "--version"], capture_output=True, text=True).stdout.strip()
    report.checks.append(Check("bubblewrap", bwrap is not None,
                               version or "not installed (apt-get install bubblewrap)"))
    max_ns = _read("/proc/sys/user/max_user_namespaces")
    clone = _read("/proc/sys/kernel/unprivileged_userns_clone")
    userns_ok = (max_ns is None or int(max_ns) > 0) and clone in (None, "1")
    report.checks.append(Check("user namespaces", userns_ok,
                               f"user.max_user_namespaces={max_ns}, unprivileged_userns_clone={clone}"))
    support = probe_cgroups()
    for name in ("pids", "memory"):
        controller = support.controllers.get(name)
        if controller is None:
            report.checks.append(Check(f"cgroup {name}", False, "no controller found" + (
                f" ({'; '.join(support.notes)})" if support.notes else "")))
        else:
            report.checks.append(Check(f"cgroup {name}", controller.works,
                                       f"cgroup v{controller.version}: {controller.detail}"))
    report.checks.append(Check("running as", True, f"uid {os.geteuid()}" + (
        " (boxes start as unprivileged uid 60000)" if os.geteuid() == 0 else "")))
    from sandbox.backends.local.launcher import launcher_path

    launcher = launcher_path()
    report.checks.append(Check("native launcher", launcher is not None,
                               str(launcher) if launcher else "no C compiler: runs fall back to fork (slower)"))
    backend = None
    try:
        from sandbox.backends.local import LocalBackend

        backend = LocalBackend(concurrency=1)
        report.sandbox_ok = True
        report.checks.append(Check("sandbox start", True, "a warm box started and answered"))
        for lang in LANGUAGES.values():
            report.toolchains[lang.id] = backend.toolchain(lang)
        report.checks += _self_test_checks(backend, report)
        report.checks += _compile_speed_checks(backend)
    except Exception as exc:  # whatever fails, the report is the point
        report.checks.append(Check("sandbox start", False, str(exc)))
    finally:
        if backend is not None:
            backend.close()
    from sandbox.tools.container_probe import probe_container

    container = probe_container()
    if container.in_container:
        report.checks.append(Check("container", True, f"inside a {container.engine} container"))
        report.protections += [f"container ({container.engine}): {fact}" for fact in container.facts]
    if report.sandbox_ok:
        report.protections += [
            "namespaces: user, pid, network (no network at all), ipc, uts, mount, cgroup",
            "filesystem: system dirs read-only; only /box and /tmp writable (size-capped tmpfs, wiped per run); "
            "stdin and stdout are memory files with no path, so a program cannot swap them",
            "rlimits: CPU, address space (native, Python), file size, open files, processes; "
            "main-thread stack unlimited within the address space (threads get glibc's default)",
            "wall-clock watchdog; every process in the box killed and reaped after each run; "
            "each run gets a fresh session keyring and empty user keyrings; a box that kept "
            "System V IPC objects is replaced; a box that does not answer in time is killed",
        ]
        headers = getattr(backend, "pch", None)
        if headers is not None:
            report.protections.append("precompiled system headers (built on the host from system headers only) "
                                      f"mounted read-only at /opt/cpforge/pch from {headers.root}")
        for name in ("pids", "memory"):
            controller = support.working(name)
            if name == "pids":
                state = ("enforced per box; it counts refused forks and threads, so a crash after one is "
                         "reported as the process limit's") if controller else "not used (RLIMIT_NPROC only)"
            else:
                state = ("a backstop per box (memory limit + the box's tmpfs + captured output), so a full disk "
                         "meets ENOSPC and never an OOM kill of the supervisor") if controller else "not used"
            report.protections.append(f"cgroup {name}: {state}")
        report.accounting += [
            "CPU time of the process tree: exact, from the rusage of every process of the run once reaped "
            "(the box's PID 1 reaps orphans); the watchdog sums the tree's CPU from /proc every 50 ms and "
            "kills at the limit",
            "memory of the process tree: each process's own peak RSS (rusage; the native launcher starts it "
            "as a fresh process, so the supervisor's pages are not counted), and, while the program has "
            "several processes, the sum of their proportional set sizes (shared pages once) sampled "
            "every 50 ms; the watchdog kills at the limit"
            + ("" if launcher else "; WITHOUT the native launcher every figure includes ~10 MiB of the "
               "supervisor's own pages"),
            "static image: an executable whose loadable segments exceed the memory limit is MLE without running",
        ]
        from sandbox.backends.local.backend import zygote_enabled

        report.accounting.append(
            "Python and PyPy runs: forked from a pre-started interpreter per box (CPFORGE_ZYGOTE=off for cold "
            "starts): CPU and wall time leave out the interpreter's start-up, the hash seed is one per "
            "pre-started interpreter; it is not dumpable, closed off from runs, and replaced when a run touches it"
            if zygote_enabled(None) and launcher else
            "Python and PyPy runs: cold starts (CPFORGE_ZYGOTE=off, or no native launcher)")
    return report
