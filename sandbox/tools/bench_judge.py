"""`verifier bench judge`: judging A+B with cpforge against the loop anyone writes first.

The bare loop is the honest baseline for "is the judge worth its machinery": compile once
with plain `g++ -O2`, then one `subprocess.run` per test, no sandbox, comparing tokens.
cpforge sandboxes every run and still has to be faster, through a precompiled header,
warm boxes and running tests in parallel. Both are timed in the same process, alternating,
so the machine's drift (other jobs, thermal limits) hits both alike.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.backends.base import PROGRAM_ENV
from sandbox.backends.local import LocalBackend
from sandbox.judge.judging import Judge
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import Verdict
from sandbox.judge.model import JudgeProblem, TestCase
from sandbox.languages import get_language
from sandbox.compile.pch_probe import probe_precompiled_header

APLUSB_CPP = ('#include <bits/stdc++.h>\nusing namespace std;\n'
              'int main() { long long a, b; cin >> a >> b; cout << a + b << "\\n"; }\n')
APLUSB_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
TARGETS = {"cpp17": 0.5, "python3": 0.3}  # cpforge time / bare time, at most
LABELS = {"cpp17": "C++17", "python3": "Python 3"}
SYSTEM_PATH = PROGRAM_ENV["PATH"]  # the tools the boxes see, not a user's shims (pyenv)


@dataclass
class Row:
    language: str
    cpforge_s: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    cpforge_compile_s: list[float] = field(default_factory=list)
    bare_compile_s: list[float] = field(default_factory=list)

    def summary(self, tests: int) -> dict:
        ratios = [c / b for c, b in zip(self.cpforge_s, self.bare_s)]
        ratio = statistics.median(ratios)
        return {
            "language": self.language, "tests": tests,
            "cpforge_s": statistics.median(self.cpforge_s), "bare_s": statistics.median(self.bare_s),
            "ratio": ratio, "target": TARGETS[self.language], "met": ratio <= TARGETS[self.language],
            "cpforge_compile_s": statistics.median(self.cpforge_compile_s),
            "bare_compile_s": statistics.median(self.bare_compile_s) if self.bare_compile_s else 0.0,
            "samples": {"cpforge_s": self.cpforge_s, "bare_s": self.bare_s},
        }


def make_problem(tests: int, seed: int = 1) -> JudgeProblem:
    rng = random.Random(seed)
    cases = []
    for index in range(tests):
        a, b = rng.randint(-10**9, 10**9), rng.randint(-10**9, 10**9)
        cases.append(TestCase.from_bytes(str(index + 1), f"{a} {b}\n".encode(), f"{a + b}\n".encode(),
                                         is_sample=index == 0))
    return JudgeProblem(name="aplusb-bench", time_limit=1.0, memory_limit=256, tests=cases)


# ---------------------------------------------------------------------- the two judges
def judge_with_cpforge(backend: LocalBackend, problem: JudgeProblem, source: str, language: str
                       ) -> tuple[float, float]:
    """(total seconds, compile seconds); a fresh Judge each time, so nothing is reused
    from an earlier repetition but the warm boxes and the precompiled header."""
    started = time.perf_counter()
    with Judge(backend) as judge:
        result = judge.judge(problem, source, language, JudgeOptions(stop_on_first_failure=False))
    elapsed = time.perf_counter() - started
    if result.verdict is not Verdict.AC or result.passed != len(problem.tests) or result.compile.cached:
        raise RuntimeError(f"cpforge judged the reference solution {result.verdict.value} "
                           f"({result.passed}/{result.total}, cached={result.compile.cached}): {result.message}")
    return elapsed, result.compile.time


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


# ---------------------------------------------------------------------- the bench
def _tagged(source: str, language: str, tag: str) -> str:
    """The source with a comment that makes it distinct (so no cache can serve it)."""
    return source + ("# " if language.startswith("python") else "// ") + tag + "\n"


def _pch_state(backend: LocalBackend) -> dict:
    """Whether the header was already built (by an earlier run or another process), then
    builds it if not, outside the timing: it is built once per toolchain, not per judge."""
    lang = get_language("cpp17")
    if backend.pch is None:
        return {"enabled": False, "warm": False, "build_s": 0.0, "used": False, "detail": "disabled"}
    warm = backend.pch.lookup(lang) is not None
    started = time.perf_counter()
    probe = probe_precompiled_header(backend, lang)
    return {"enabled": True, "warm": warm, "build_s": 0.0 if warm else time.perf_counter() - started,
            "used": probe.used, "detail": probe.detail}


def bench_judge(tests: int = 100, repeat: int = 5, jobs: int | None = None) -> dict:
    """Runs both judges `repeat` times each, alternating which goes first; returns the
    medians and the median of per-repetition ratios."""
    problem = make_problem(tests)
    load_before = os.getloadavg()[0]
    sources = {"cpp17": APLUSB_CPP, "python3": APLUSB_PY}
    rows = {language: Row(language) for language in sources}
    work = Path(tempfile.mkdtemp(prefix="cpforge-bench-judge-"))
    backend = LocalBackend(concurrency=jobs, compile_cache_mb=0)  # every repetition really compiles
    try:
        pch = _pch_state(backend)
        warm_up = make_problem(max(2, backend.concurrency))
        for language, source in sources.items():  # boxes up, toolchains asked: a judge farm's steady state
            judge_with_cpforge(backend, warm_up, _tagged(source, language, "warm-up"), language)
            judge_bare(warm_up, source, language, work)
        for repetition in range(repeat):
            for language, source in sources.items():
                row = rows[language]
                # A comment unique to the repetition keeps any compile cache out of it.
                unique = _tagged(source, language, f"repetition {repetition}")
                order = ("cpforge", "bare") if repetition % 2 == 0 else ("bare", "cpforge")
                for which in order:
                    if which == "cpforge":
                        total, compiled = judge_with_cpforge(backend, problem, unique, language)
                        row.cpforge_s.append(total)
                        row.cpforge_compile_s.append(compiled)
                    else:
                        total, compiled = judge_bare(problem, unique, language, work)
                        row.bare_s.append(total)
                        if language == "cpp17":
                            row.bare_compile_s.append(compiled)
        return {"tests": tests, "repeat": repeat, "cores": os.cpu_count(), "jobs": backend.concurrency,
                "pch": pch, "compile_cache": "off", "load_average": [load_before, os.getloadavg()[0]],
                "rows": {language: row.summary(tests) for language, row in rows.items()}}
    finally:
        backend.close()
        shutil.rmtree(work, ignore_errors=True)


def format_report(report: dict) -> str:
    lines = [f"judge A+B: {report['tests']} tests, {report['repeat']} repetitions (alternating), "
             f"{report['cores']} cores, {report['jobs']} tests in parallel; load average "
             f"{report['load_average'][0]:.1f} before, {report['load_average'][1]:.1f} after",
             f"{'language':10} {'cpforge s':>10} {'bare s':>8} {'ratio':>7} {'target':>8}   "
             f"{'compile: cpforge s':>18} {'bare s':>7}"]
    for row in report["rows"].values():
        verdict = "ok" if row["met"] else "MISSED"
        bare_compile = f"{row['bare_compile_s']:7.3f}" if row["bare_compile_s"] else f"{'-':>7}"
        lines.append(f"{LABELS[row['language']]:10} {row['cpforge_s']:10.3f} {row['bare_s']:8.3f} "
                     f"{row['ratio']:6.2f}x {'<= ' + format(row['target'], '.1f') + 'x':>8}   "
                     f"{row['cpforge_compile_s']:18.3f} {bare_compile}  {verdict}")
    pch = report["pch"]
    if pch["enabled"]:
        state = "warm (built earlier)" if pch["warm"] else f"cold: built now in {pch['build_s']:.1f} s, before timing"
        lines.append(f"precompiled bits/stdc++.h: {state}; GCC loads it: {'yes' if pch['used'] else 'NO'} "
                     f"({pch['detail']})")
    else:
        lines.append("precompiled bits/stdc++.h: disabled (CPFORGE_PCH=off)")
    lines += [
        "compile cache: off (every repetition compiles; the judge's in-memory cache is new each time)",
        "cpforge: Judge.judge(..., JudgeOptions(stop_on_first_failure=False)) on warm boxes, every run sandboxed,",
        "         outputs checked by the tokens checker; the time includes the compile.",
        "bare:    g++ -std=c++17 -O2 once (no PCH), then subprocess.run per test, no sandbox;",
        "         Python: /usr/bin/python3 sol.py per test. Times are medians; the ratio is the median",
        "         of per-repetition ratios (cpforge / bare, lower is better).",
    ]
    return "\n".join(lines)
