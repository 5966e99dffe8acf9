"""`verifier bench judge`: judging A+B with cpforge against the loop anyone writes first,
and against DMOJ's judge when the `dmoj` package is installed.

The bare loop is the honest baseline for "is the judge worth its machinery": compile once
with plain `g++ -O2`, then one `subprocess.run` per test, no sandbox, comparing tokens.
cpforge sandboxes every run and still has to be faster, through a precompiled header,
warm boxes and running tests in parallel. DMOJ is the sandboxed judge people already run:
its own grading code (a `LocalJudge`, as `dmoj-cli` uses, in a helper process of its own)
judges the same sources on the same tests. All are timed alternating, so the machine's
drift (other jobs, thermal limits) hits them alike.

cpforge's CPU is counted too, per test: the judging process's own (every thread), the
boxes' (bubblewrap, supervisors, pre-started interpreters, the compiler: every process
under this one while cpforge judges) and the programs' as the judge reports them.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import random
import resource
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sandbox.backends.base import PROGRAM_ENV
from sandbox.backends.local import LocalBackend
from sandbox.judge.judging import Judge
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import Verdict
from sandbox.judge.model import JudgeProblem, TestCase
from sandbox.languages import get_language
from sandbox.compile.pch_probe import probe_precompiled_header
from sandbox.tools.proc_tree import tree_cpu_seconds

APLUSB_CPP = ('#include <bits/stdc++.h>\nusing namespace std;\n'
              'int main() { long long a, b; cin >> a >> b; cout << a + b << "\\n"; }\n')
APLUSB_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
TARGETS = {"cpp17": 0.5, "python3": 0.3}  # cpforge time / bare time, at most
DMOJ_TARGETS = {"cpp17": 0.12, "python3": 0.12}  # cpforge time / DMOJ time, at most
CPU_TARGETS_MS: dict[str, float | None] = {"cpp17": None, "python3": 3.0}  # cpforge CPU per test, at most
LABELS = {"cpp17": "C++17", "python3": "Python 3"}
DMOJ_EXECUTORS = {"cpp17": "CPP17", "python3": "PY3"}
SYSTEM_PATH = PROGRAM_ENV["PATH"]  # the tools the boxes see, not a user's shims (pyenv)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DMOJ_STARTUP_TIMEOUT = 300.0  # s: DMOJ self-tests its executors when it loads them
DMOJ_GRADE_TIMEOUT = 600.0  # s per submission
DMOJ_MISSING = "the dmoj package is not installed (pip install dmoj; it builds against libseccomp-dev)"


@dataclass
class CpuSample:
    """CPU seconds spent while cpforge judged one submission."""

    judge: float  # this process, all threads (getrusage RUSAGE_SELF)
    boxes: float  # every process under this one (the boxes), less the programs' own
    programs: float  # the sum of the tests' cpu_time, as the judge reports it


@dataclass
class Row:
    language: str
    cpforge_s: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    dmoj_s: list[float] = field(default_factory=list)
    cpforge_compile_s: list[float] = field(default_factory=list)
    bare_compile_s: list[float] = field(default_factory=list)
    dmoj_compile_s: list[float] = field(default_factory=list)
    cpu: list[CpuSample] = field(default_factory=list)

    def cpu_summary(self, tests: int) -> dict:
        """Milliseconds per test, summed over every repetition and divided by all the tests
        judged (CPU drifts far less than wall time: a mean is the better estimate)."""
        count = max(1, tests * len(self.cpu))
        judge_ms = 1000 * sum(s.judge for s in self.cpu) / count
        boxes_ms = 1000 * sum(s.boxes for s in self.cpu) / count
        programs_ms = 1000 * sum(s.programs for s in self.cpu) / count
        total_ms = judge_ms + boxes_ms + programs_ms
        target = CPU_TARGETS_MS[self.language]
        return {"judge_ms": judge_ms, "boxes_ms": boxes_ms, "programs_ms": programs_ms, "total_ms": total_ms,
                "target_ms": target, "met": None if target is None else total_ms <= target}

    def summary(self, tests: int, with_dmoj: bool) -> dict:
        ratios = [c / b for c, b in zip(self.cpforge_s, self.bare_s)]
        ratio = statistics.median(ratios)
        met_bare = ratio <= TARGETS[self.language]
        dmoj: dict[str, Any] = {"dmoj_s": None, "dmoj_compile_s": None, "dmoj_ratio": None,
                                "dmoj_target": DMOJ_TARGETS[self.language], "dmoj_met": None}
        if with_dmoj and self.dmoj_s:
            dmoj_ratio = statistics.median(c / d for c, d in zip(self.cpforge_s, self.dmoj_s))
            dmoj.update(dmoj_s=statistics.median(self.dmoj_s), dmoj_compile_s=statistics.median(self.dmoj_compile_s),
                        dmoj_ratio=dmoj_ratio, dmoj_met=dmoj_ratio <= DMOJ_TARGETS[self.language])
        cpu = self.cpu_summary(tests)
        met = met_bare and dmoj["dmoj_met"] is not False and cpu["met"] is not False
        return {
            "language": self.language, "tests": tests,
            "cpforge_s": statistics.median(self.cpforge_s), "bare_s": statistics.median(self.bare_s),
            "ratio": ratio, "target": TARGETS[self.language], "met_bare": met_bare,
            **dmoj, "cpu": cpu, "met": met,
            "cpforge_compile_s": statistics.median(self.cpforge_compile_s),
            "bare_compile_s": statistics.median(self.bare_compile_s) if self.bare_compile_s else 0.0,
            "samples": {"cpforge_s": self.cpforge_s, "bare_s": self.bare_s,
                        "dmoj_s": self.dmoj_s if with_dmoj else []},
        }


def make_problem(tests: int, seed: int = 1) -> JudgeProblem:
    rng = random.Random(seed)
    cases = []
    for index in range(tests):
        a, b = rng.randint(-10**9, 10**9), rng.randint(-10**9, 10**9)
        cases.append(TestCase.from_bytes(str(index + 1), f"{a} {b}\n".encode(), f"{a + b}\n".encode(),
                                         is_sample=index == 0))
    return JudgeProblem(name="aplusb-bench", time_limit=1.0, memory_limit=256, tests=cases)


# ---------------------------------------------------------------------- CPU accounting
class CpuMeter:
    """Around one judging: this process's CPU and its descendants' (the boxes)."""

    def __init__(self, exclude: set[int]) -> None:
        self.exclude = exclude

    def __enter__(self) -> CpuMeter:
        self.tree_before = tree_cpu_seconds(os.getpid(), include_root=False, exclude=frozenset(self.exclude))
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.reaped_before = reaped.ru_utime + reaped.ru_stime
        own = resource.getrusage(resource.RUSAGE_SELF)
        self.own_before = own.ru_utime + own.ru_stime
        return self

    def __exit__(self, *exc: object) -> None:
        own = resource.getrusage(resource.RUSAGE_SELF)
        self.own = own.ru_utime + own.ru_stime - self.own_before
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        tree_after = tree_cpu_seconds(os.getpid(), include_root=False, exclude=frozenset(self.exclude))
        self.descendants = tree_after - self.tree_before + reaped.ru_utime + reaped.ru_stime - self.reaped_before


# ---------------------------------------------------------------------- the judges
def judge_with_cpforge(backend: LocalBackend, problem: JudgeProblem, source: str, language: str
                       ) -> tuple[float, float, float]:
    """(total seconds, compile seconds, the programs' CPU seconds); a fresh Judge each time,
    so nothing is reused from an earlier repetition but the warm boxes and the precompiled
    header."""
    started = time.perf_counter()
    with Judge(backend) as judge:
        result = judge.judge(problem, source, language, JudgeOptions(stop_on_first_failure=False))
    elapsed = time.perf_counter() - started
    if result.verdict is not Verdict.AC or result.passed != len(problem.tests) or result.compile.cached:
        raise RuntimeError(f"cpforge judged the reference solution {result.verdict.value} "
                           f"({result.passed}/{result.total}, cached={result.compile.cached}): {result.message}")
    return elapsed, result.compile.time, sum(test.cpu_time for test in result.tests)


def judge_bare(problem: JudgeProblem, source: str, language: str, work: Path) -> tuple[float, float]:
    """(total seconds, compile seconds) for the plain loop, answers compared as tokens."""
    env = {**PROGRAM_ENV, "PATH": SYSTEM_PATH}
    started = time.perf_counter()
    compile_s = 0.0
    if language == "cpp17":
        (work / "sol.cpp").write_text(source)
        compiler = shutil.which("g++", path=SYSTEM_PATH) or "g++"
        subprocess.run([compiler, "-std=c++17", "-O2", "-o", str(work / "sol"), str(work / "sol.cpp")],
                       check=True, env=env, cwd=work)
        compile_s = time.perf_counter() - started
        argv = [str(work / "sol")]
    else:
        (work / "sol.py").write_text(source)
        argv = [shutil.which("python3", path=SYSTEM_PATH) or "python3", str(work / "sol.py")]
    for test in problem.tests:
        done = subprocess.run(argv, input=test.read_input(), capture_output=True, env=env, cwd=work, timeout=10)
        if done.returncode != 0 or done.stdout.split() != (test.read_answer() or b"").split():
            raise RuntimeError(f"the bare loop failed test {test.name}: exit {done.returncode}")
    return time.perf_counter() - started, compile_s


# ---------------------------------------------------------------------- DMOJ
class DmojUnavailable(Exception):
    """DMOJ cannot judge here; the message says why."""


def dmoj_missing_reason() -> str | None:
    """Why DMOJ's column cannot run (None when `dmoj` and its sandbox import)."""
    # import_module, not import: dmoj has no type information, and is usually absent.
    try:
        importlib.import_module("dmoj")
    except ImportError:
        return DMOJ_MISSING
    try:
        importlib.import_module("dmoj.cptbox._cptbox")
    except ImportError as exc:
        return f"dmoj is installed but its sandbox extension (dmoj.cptbox._cptbox) does not import: {exc}"
    return None


def write_dmoj_problem(root: Path, problem_id: str, problem: JudgeProblem) -> None:
    """A DMOJ problem directory: init.yml listing the tests, one point each, checked by
    DMOJ's default `standard` checker (tokens, like cpforge's)."""
    directory = root / problem_id
    directory.mkdir(parents=True)
    cases = []
    for test in problem.tests:
        (directory / f"{test.name}.in").write_bytes(test.read_input())
        (directory / f"{test.name}.out").write_bytes(test.read_answer() or b"")
        cases.append({"in": f"{test.name}.in", "out": f"{test.name}.out", "points": 1})
    (directory / "init.yml").write_text(json.dumps({"test_cases": cases}))  # JSON is YAML


class DmojJudge:
    """DMOJ's judge in a helper process (its globals, patches and fork-per-submission stay
    out of this one): the helper loads and self-tests the CPP17 and PY3 executors once,
    then grades each submission it is sent with `LocalJudge.begin_grading`, the path
    `dmoj-cli`'s submit takes, and answers with its wall time measured around that call."""

    def __init__(self, problems_root: Path, log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "wb")
        env = {**os.environ, "PATH": SYSTEM_PATH,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from sandbox.tools.bench_judge import dmoj_worker; dmoj_worker()",
             str(problems_root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, env=env)
        self._next_id = 0
        hello = self._read(DMOJ_STARTUP_TIMEOUT)
        if "error" in hello:
            self.close()
            raise DmojUnavailable(hello["error"])
        self.info: dict = hello["info"]

    @property
    def pid(self) -> int:
        return self.process.pid

    def _log_tail(self) -> str:
        self._log.flush()
        try:
            return self.log_path.read_bytes()[-1500:].decode(errors="replace").strip()
        except OSError:
            return ""

    def _read(self, timeout: float) -> dict:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else b""
        if not line:
            self.close()
            raise DmojUnavailable(f"DMOJ's helper {'timed out' if not ready else 'exited'}: {self._log_tail()}")
        return json.loads(line)

    def judge(self, problem_id: str, source: str, language: str, tests: int) -> tuple[float, float]:
        """(total seconds, compile seconds), like the other judges; DmojUnavailable when
        DMOJ does not accept the reference solution."""
        assert self.process.stdin is not None
        self._next_id += 1
        request = {"id": self._next_id, "problem": problem_id, "language": DMOJ_EXECUTORS[language],
                   "source": source}
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except OSError:
            self.close()
            raise DmojUnavailable(f"DMOJ's helper exited: {self._log_tail()}") from None
        answer = self._read(DMOJ_GRADE_TIMEOUT)
        if answer.get("error") or answer["passed"] != tests:
            raise DmojUnavailable(f"DMOJ judged the reference {LABELS[language]} solution "
                                  f"{answer['passed']}/{tests}: {answer.get('error') or answer['codes']}")
        return answer["wall_s"], answer["compile_s"]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                if self.process.stdin is not None:
                    self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._log.close()


def _dmoj_setup(problems_root: str) -> dict:
    """Configures DMOJ as a judge farm's machine would be (runtimes given, executors loaded
    and self-tested), in this helper process; returns what the report says about it."""
    judgeenv = importlib.import_module("dmoj.judgeenv")
    gxx = shutil.which("g++", path=SYSTEM_PATH)
    python3 = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else shutil.which("python3", path=SYSTEM_PATH)
    if gxx is None or python3 is None:
        raise DmojUnavailable("g++ or python3 is not on the system PATH")
    # Before any executor module is imported: they read the runtimes when defined.
    judgeenv.env["runtime"] = {"g++17": gxx, "python3": python3}
    setattr(judgeenv, "problem_globs", [os.path.join(problems_root, "*")])  # noqa: B010 (an untyped module)
    judgeenv.only_executors.update(DMOJ_EXECUTORS.values())
    executors = importlib.import_module("dmoj.executors")
    executors.load_executors()  # self-tests each one, traced, as `dmoj` does at start-up
    missing = [name for name in DMOJ_EXECUTORS.values() if name not in executors.executors]
    if missing:
        raise DmojUnavailable(f"DMOJ's self-test of {', '.join(missing)} failed (its ptrace/seccomp sandbox may "
                              "not work on this host; see the log above)")
    loaded = {}
    for name in DMOJ_EXECUTORS.values():
        executor = executors.executors[name].Executor
        versions = executor.get_runtime_versions()
        loaded[name] = {"command": executor.get_command(),
                        "version": ", ".join(f"{runtime} {'.'.join(map(str, version))}"
                                             for runtime, version in versions)}
    loaded["CPP17"]["flags"] = f"-std=c++17 -O2 {executors.executors['CPP17'].Executor.get_march_flag()} -lm -s"
    try:
        with open("/proc/sys/net/core/bpf_jit_enable") as jit:
            bpf_jit = jit.read().strip() == "1"
    except OSError:
        bpf_jit = False
    return {"version": importlib.metadata.version("dmoj"), "executors": loaded,
            "root": os.geteuid() == 0, "bpf_jit": bpf_jit}


def _dmoj_grade(judge: Any, request: dict) -> dict:
    packets_base: Any = importlib.import_module("dmoj.cli").LocalPacketManager  # a recorder, not a site
    Submission = importlib.import_module("dmoj.judge").Submission
    marks: dict[str, float] = {}
    codes: list[str] = []
    errors: list[str] = []

    class Packets(packets_base):
        def begin_grading_packet(self, is_pretested: bool) -> None:
            marks["compiled"] = time.perf_counter()

        def test_case_status_packet(self, position: int, result: Any) -> None:
            codes.append(result.readable_codes()[0])

        def compile_error_packet(self, log: str) -> None:
            errors.append(f"compile error: {log}")

        def internal_error_packet(self, message: str) -> None:
            errors.append(f"internal error: {message}")

    judge.packet_manager = Packets(judge)
    submission = Submission(request["id"], request["problem"], request["language"], request["source"],
                            1.0, 256 * 1024, False, {})
    started = time.perf_counter()
    judge.begin_grading(submission, report=lambda *_: None, blocking=True)
    wall = time.perf_counter() - started
    return {"wall_s": wall, "compile_s": marks.get("compiled", started) - started,
            "passed": codes.count("AC"), "codes": " ".join(codes), "error": "; ".join(errors)}


def dmoj_worker() -> None:
    """The helper's main: JSON lines in on stdin, out on the stdout it started with; DMOJ's
    own printing goes to stderr (the bench's log)."""
    answers: IO[str] = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    problems_root = sys.argv[1]
    try:
        info = _dmoj_setup(problems_root)
        judge = importlib.import_module("dmoj.cli").LocalJudge()
    except Exception as exc:  # every failure is a reason to print, not a crash
        answers.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return
    answers.write(json.dumps({"info": info}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = _dmoj_grade(judge, request)
        except Exception as exc:
            answer = {"passed": 0, "codes": "", "error": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(answer) + "\n")


def _dmoj_sandbox(info: dict) -> str:
    return ("cptbox, DMOJ's ptrace + seccomp-bpf sandbox, ON: the executors' self-tests and every test ran "
            "traced (DMOJ 4 has no unsandboxed fallback: it raises instead)"
            + ("; as root here (the `dmoj` daemon refuses root, its LocalJudge does not)" if info["root"] else "")
            + f"; BPF JIT {'on' if info['bpf_jit'] else 'off'}")


# ---------------------------------------------------------------------- the bench
def _tagged(source: str, language: str, tag: str) -> str:
    """The source with a comment that makes it distinct (so no cache can serve it)."""
    return source + ("# " if language.startswith("python") else "// ") + tag + "\n"


def _pch_state(backend: LocalBackend) -> dict:
    """Whether the header was already built (by an earlier run or another process), then
    builds it if not, outside the timing: it is built once per toolchain, not per judge."""
    lang = get_language("cpp17")
    if backend.pch is None:
        aid = backend.compile_aid(lang)
        return {"enabled": False, "warm": False, "build_s": 0.0, "used": False, "detail": "disabled",
                "aid_flags": list(aid.flags) if aid else []}
    warm = backend.pch.lookup(lang) is not None
    started = time.perf_counter()
    probe = probe_precompiled_header(backend, lang)
    aid = backend.compile_aid(lang)
    return {"enabled": True, "warm": warm, "build_s": 0.0 if warm else time.perf_counter() - started,
            "used": probe.used, "detail": probe.detail, "aid_flags": list(aid.flags) if aid else []}


def _start_dmoj(work: Path, problems: dict[str, JudgeProblem]) -> tuple[DmojJudge | None, dict]:
    reason = dmoj_missing_reason()
    if reason is not None:
        return None, {"ran": False, "reason": reason}
    root = work / "dmoj-problems"
    for problem_id, problem in problems.items():
        write_dmoj_problem(root, problem_id, problem)
    try:
        dmoj = DmojJudge(root, work / "dmoj.log")
    except DmojUnavailable as exc:
        return None, {"ran": False, "reason": str(exc)}
    return dmoj, {"ran": True, "reason": None, **dmoj.info, "sandbox": _dmoj_sandbox(dmoj.info)}


def bench_judge(tests: int = 100, repeat: int = 5, jobs: int | None = None) -> dict:
    """Runs every judge `repeat` times, rotating which goes first; returns the medians, the
    medians of per-repetition ratios and cpforge's CPU per test."""
    problem = make_problem(tests)
    load_before = os.getloadavg()[0]
    sources = {"cpp17": APLUSB_CPP, "python3": APLUSB_PY}
    rows = {language: Row(language) for language in sources}
    work = Path(tempfile.mkdtemp(prefix="cpforge-bench-judge-"))
    backend = LocalBackend(concurrency=jobs, compile_cache_mb=0)  # every repetition really compiles
    dmoj: DmojJudge | None = None
    try:
        pch = _pch_state(backend)
        warm_up = make_problem(max(2, backend.concurrency))
        dmoj, dmoj_state = _start_dmoj(work, {"aplusb-warmup": warm_up, "aplusb-bench": problem})
        for language, source in sources.items():  # boxes up, toolchains asked: a judge farm's steady state
            judge_with_cpforge(backend, warm_up, _tagged(source, language, "warm-up"), language)
            judge_bare(warm_up, source, language, work)
            if dmoj is not None:
                try:
                    dmoj.judge("aplusb-warmup", _tagged(source, language, "warm-up"), language, len(warm_up.tests))
                except DmojUnavailable as exc:
                    dmoj.close()
                    dmoj, dmoj_state = None, {**dmoj_state, "ran": False, "reason": str(exc)}
        judges = ["cpforge", "bare"] + (["dmoj"] if dmoj is not None else [])
        for repetition in range(repeat):
            for language, source in sources.items():
                row = rows[language]
                # A comment unique to the repetition keeps any compile cache out of it.
                unique = _tagged(source, language, f"repetition {repetition}")
                shift = repetition % len(judges)
                for which in judges[shift:] + judges[:shift]:
                    if which == "cpforge":
                        with CpuMeter(exclude={dmoj.pid} if dmoj is not None else set()) as meter:
                            total, compiled, programs = judge_with_cpforge(backend, problem, unique, language)
                        row.cpforge_s.append(total)
                        row.cpforge_compile_s.append(compiled)
                        row.cpu.append(CpuSample(judge=meter.own, boxes=meter.descendants - programs,
                                                 programs=programs))
                    elif which == "bare":
                        total, compiled = judge_bare(problem, unique, language, work)
                        row.bare_s.append(total)
                        if language == "cpp17":
                            row.bare_compile_s.append(compiled)
                    elif dmoj is not None:
                        try:
                            total, compiled = dmoj.judge("aplusb-bench", unique, language, tests)
                        except DmojUnavailable as exc:  # the column goes, with the reason; the rest goes on
                            dmoj.close()
                            dmoj, dmoj_state = None, {**dmoj_state, "ran": False, "reason": str(exc)}
                            continue
                        row.dmoj_s.append(total)
                        row.dmoj_compile_s.append(compiled)
        with_dmoj = bool(dmoj_state["ran"])
        return {"tests": tests, "repeat": repeat, "cores": os.cpu_count(), "jobs": backend.concurrency,
                "pch": pch, "compile_cache": "off", "load_average": [load_before, os.getloadavg()[0]],
                "dmoj": dmoj_state,
                "rows": {language: row.summary(tests, with_dmoj) for language, row in rows.items()}}
    finally:
        if dmoj is not None:
            dmoj.close()
        backend.close()
        shutil.rmtree(work, ignore_errors=True)


def _seconds(value: float | None, width: int) -> str:
    return f"{value:{width}.3f}" if value else f"{'-':>{width}}"


def format_report(report: dict) -> str:
    dmoj = report["dmoj"]
    lines = [f"judge A+B: {report['tests']} tests, {report['repeat']} repetitions (rotating the order), "
             f"{report['cores']} cores, {report['jobs']} tests in parallel; load average "
             f"{report['load_average'][0]:.1f} before, {report['load_average'][1]:.1f} after",
             f"{'':10} {'':>10} {'vs bare loop':^25}   {'vs DMOJ':^25}   {'compile':^26}",
             f"{'language':10} {'cpforge s':>10} {'bare s':>8} {'ratio':>7} {'target':>8}   "
             f"{'DMOJ s':>8} {'ratio':>7} {'target':>8}   {'cpforge s':>10} {'bare s':>7} {'DMOJ s':>7}"]
    for row in report["rows"].values():
        if row["dmoj_ratio"] is not None:
            vs_dmoj = (f"{row['dmoj_s']:8.3f} {row['dmoj_ratio']:6.2f}x "
                       f"{'<= ' + format(row['dmoj_target'], '.2f') + 'x':>8}")
        else:
            vs_dmoj = f"{'-':>8} {'-':>7} {'<= ' + format(row['dmoj_target'], '.2f') + 'x':>8}"
        misses = [name for name, met in (("bare", row["met_bare"]), ("DMOJ", row["dmoj_met"]),
                                         ("CPU", row["cpu"]["met"])) if met is False]
        verdict = "ok" if not misses else "MISSED: " + ", ".join(misses)
        lines.append(f"{LABELS[row['language']]:10} {row['cpforge_s']:10.3f} {row['bare_s']:8.3f} "
                     f"{row['ratio']:6.2f}x {'<= ' + format(row['target'], '.1f') + 'x':>8}   {vs_dmoj}   "
                     f"{row['cpforge_compile_s']:10.3f} {_seconds(row['bare_compile_s'], 7)} "
                     f"{_seconds(row['dmoj_compile_s'], 7)}  {verdict}")
    lines.append("cpforge CPU per test (mean over repetitions):")
    for row in report["rows"].values():
        cpu = row["cpu"]
        target = f"target <= {cpu['target_ms']:g} ms" if cpu["target_ms"] is not None else "no target"
        lines.append(f"  {LABELS[row['language']]:9} CPU per test: judge {cpu['judge_ms']:.2f} ms + boxes "
                     f"{cpu['boxes_ms']:.2f} ms + programs {cpu['programs_ms']:.2f} ms = {cpu['total_ms']:.2f} ms "
                     f"({target} for {LABELS[row['language']]})")
    pch = report["pch"]
    if pch["enabled"]:
        state = "warm (built earlier)" if pch["warm"] else f"cold: built now in {pch['build_s']:.1f} s, before timing"
        lines.append(f"precompiled bits/stdc++.h: {state}; GCC loads it: {'yes' if pch['used'] else 'NO'} "
                     f"({pch['detail']})")
    else:
        lines.append("precompiled bits/stdc++.h: disabled (CPFORGE_PCH=off)")
    gold = "-fuse-ld=gold" in pch.get("aid_flags", [])
    lines.append(f"linker: {'gold (-fuse-ld=gold; CPFORGE_FAST_LINK=off for GNU ld)' if gold else 'GNU ld'}")
    lines += [
        "compile cache: off (every repetition compiles; the judge's in-memory cache is new each time)",
        "cpforge: Judge.judge(..., JudgeOptions(stop_on_first_failure=False)) on warm boxes, every run sandboxed,",
        "         outputs checked by the tokens checker; the time includes the compile.",
        "bare:    g++ -std=c++17 -O2 once (no PCH), then subprocess.run per test, no sandbox;",
        "         Python: /usr/bin/python3 sol.py per test.",
    ]
    if dmoj["ran"]:
        executors = dmoj["executors"]
        cpp, py = executors["CPP17"], executors["PY3"]
        about = (f"dmoj {dmoj['version']}, its own grading code: LocalJudge.begin_grading(blocking=True), the path "
                 "dmoj-cli's submit takes, in a helper process that forks DMOJ's JudgeWorker per submission; "
                 "StandardGrader, the `standard` checker, tests one after another, time limit 1 s, 256 MiB. "
                 f"CPP17: {cpp['command']} ({cpp['version']}) {cpp['flags']}, no PCH; "
                 f"PY3: {py['command']} ({py['version']}). Sandbox: {dmoj['sandbox']}. Executors loaded and "
                 "self-tested once before timing; no binary cache (DMOJ's StandardGrader never caches a "
                 "submission); the time includes the compile, as for cpforge.")
        lines.append(textwrap.fill(about, width=112, initial_indent="DMOJ:    ", subsequent_indent=" " * 9))
    else:
        lines.append(textwrap.fill(f"skipped: {dmoj['reason']}", width=112, initial_indent="DMOJ:    ",
                                   subsequent_indent=" " * 9))
    lines += [
        "CPU:     judge = this process, all threads (RUSAGE_SELF); boxes = every process under it while cpforge",
        "         judges (bubblewrap, supervisors, pre-started interpreters, the compiler or syntax check),",
        "         from /proc/<pid>/stat plus RUSAGE_CHILDREN, less the programs' CPU; programs = the tests'",
        "         cpu_time as the judge reports them.",
        "Times are medians; ratios are medians of per-repetition ratios (cpforge / other, lower is better).",
    ]
    return "\n".join(lines)
