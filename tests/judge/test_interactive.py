"""Interactive problems on real sandboxed pairs: the solution and a testlib-convention
interactor (tests/judge/data/guess-number) wired stdin-to-stdout, both boxed. Every way a
solution can misbehave must end in a verdict, never a hung judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.judge import InteractorSpec, load_problem
from sandbox.judge.judging import Judge, JudgeOptions, TestVerdict, Verdict

DATA = Path(__file__).parent / "data"
AC = r'''#include <cstdio>
int main(){long long n; if(scanf("%lld",&n)!=1) return 0; long long lo=1,hi=n;
while(lo<hi){long long m=(lo+hi)/2; printf("? %lld\n",m); fflush(stdout); char r[3]; if(scanf("%2s",r)!=1) return 0;
 if(r[0]=='='){lo=hi=m;break;} if(r[0]=='<') lo=m+1; else hi=m-1;}
printf("! %lld\n",lo); fflush(stdout);}'''
AC_PY = """n = int(input())
lo, hi = 1, n
while lo < hi:
    m = (lo + hi) // 2
    print("?", m, flush=True)
    reply = input().strip()
    if reply == "=":
        lo = hi = m
        break
    if reply == "<":
        lo = m + 1
    else:
        hi = m - 1
print("!", lo, flush=True)
"""


@pytest.fixture(scope="module")
def judge():
    with LocalBackend(concurrency=2) as backend, Judge(backend) as shared:
        yield shared


@pytest.fixture(scope="module")
def problem():
    return load_problem(DATA / "guess-number")


ALL = JudgeOptions(stop_on_first_failure=False)


@pytest.mark.parametrize("source,language", [(AC, "cpp17"), (AC_PY, "python3")])
def test_accepted(judge, problem, source, language):
    result = judge.judge(problem, source, language, ALL)
    assert result.verdict is Verdict.AC, result.message
    assert all("guessed in" in test.message for test in result.tests)


@pytest.mark.parametrize("name,source,verdict,message", [
    ("wrong guess", '#include <cstdio>\nint main(){long long n; scanf("%lld",&n); printf("! 1\\n"); fflush(stdout);}',
     Verdict.WA, "wrong guess"),
    ("no flush", AC.replace("fflush(stdout);", ""), Verdict.TLE, "idleness"),
    ("closes its pipes", "#include <unistd.h>\nint main(){close(0);close(1);for(volatile int i=0;i<50000000;i++);}",
     Verdict.WA, ""),  # "stopped reading" or "unexpected end", whichever side noticed first
    ("exits at once", "int main(){return 0;}", Verdict.WA, ""),  # either side may notice first
    ("busy loop", '#include <cstdio>\nint main(){long long n; scanf("%lld",&n); for(;;);}', Verdict.TLE, "time"),
    ("floods", '#include <cstdio>\nint main(){for(;;) puts("garbage");}', Verdict.WA, ""),
    ("crashes", '#include <cstdio>\n#include <cstdlib>\nint main(){long long n; scanf("%lld",&n); abort();}',
     Verdict.RE, "SIGABRT"),
])
def test_misbehaving_solutions(judge, problem, name, source, verdict, message):
    result = judge.judge(problem, source, "cpp17")
    assert result.verdict is verdict, (name, result.message)
    assert message in result.tests[0].message
    assert result.tests[0].is_sample and result.tests[0].verdict.value == verdict.value


def test_idleness_is_bounded_by_the_wall_limit(judge, problem):
    source = "#include <cstdio>\nint main(){char c; while (fread(&c, 1, 1, stdin) == 1) {} }"
    result = judge.judge(problem, source, "cpp17")
    # Reading forever without answering: the interactor waits too; the solution's wall limit ends it.
    assert result.verdict is Verdict.TLE and "idleness" in result.tests[0].message
    assert result.tests[0].wall_time < 10


def test_broken_interactors_are_judge_errors(judge, problem):
    failing = problem.model_copy(update={"interactor": InteractorSpec(
        source="i.cpp", code='#include <cstdio>\nint main(){fprintf(stderr,"bad test");return 3;}')})
    result = judge.judge(failing, AC, "cpp17")
    assert result.verdict is Verdict.JUDGE_ERROR and "bad test" in result.message
    crashing_interactor = InteractorSpec(source="i.cpp", code="int main(){return *(volatile int*)0;}")
    crashing = problem.model_copy(update={"interactor": crashing_interactor})
    assert judge.judge(crashing, AC, "cpp17").verdict is Verdict.JUDGE_ERROR
    uncompilable = problem.model_copy(update={"interactor": InteractorSpec(source="i.cpp", code="int main( {")})
    result = judge.judge(uncompilable, AC, "cpp17")
    assert result.verdict is Verdict.JUDGE_ERROR and "interactor does not compile" in result.message


def test_interactive_scores_and_parallel_submissions(judge, problem):
    from concurrent.futures import ThreadPoolExecutor

    wrong_half = AC.replace('printf("! %lld\\n",lo);', 'printf("! %lld\\n",lo + (n > 100000 && lo % 2));')
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(judge.judge, problem, src, "cpp17", JudgeOptions(score="pass_rate"))
                   for src in (AC, wrong_half, AC + "\n//2", wrong_half + "\n//2")]
        results = [f.result() for f in futures]
    assert [r.verdict for r in results] == [Verdict.AC, Verdict.WA, Verdict.AC, Verdict.WA]
    assert results[1].score == pytest.approx(results[1].passed / results[1].total) and 0 < results[1].score < 1
    assert sum(t.verdict is TestVerdict.AC for t in results[1].tests) == results[1].passed
