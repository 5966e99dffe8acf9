#!/usr/bin/env bash
# Smoke test of cpforge as a user installs it: builds the wheel from this checkout, installs
# it with pip into a fresh virtual environment outside the checkout, and uses it from
# another directory outside the checkout, with a fresh cache:
#   - `verifier doctor` exits 0;
#   - `verifier run` compiles and runs C, C++, Python, PyPy and Java programs: status OK,
#     right output;
#   - `verifier judge` on a small problem directory: AC exits 0, WA exits 1;
#   - the bundled sample set loads from the installed package;
#   - with only the `rl` extra: every reward adapter imports, and verl's `compute_score`
#     and the TRL reward judge in-process (AC 1.0, WA 0.0);
#   - with the `dataset` extra: `build-dataset run` on that problem writes a dataset.
# Usage: scripts/smoke_wheel.sh [--keep]   (--keep, or CPFORGE_SMOKE_KEEP=1: leave the
# temporary directory for inspection). PYTHON picks the interpreter for the fresh venv.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
keep=${CPFORGE_SMOKE_KEEP:-0}
[ "${1:-}" = "--keep" ] && keep=1
python=${PYTHON:-python3}
started=$SECONDS

step() { printf '\n== smoke: %s (%ds)\n' "$*" "$((SECONDS - started))"; }
fail() { printf '\nSMOKE FAILED: %s\n' "$*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cpforge-smoke.XXXXXX")
case "$work/" in "$root"/*) fail "the temporary directory $work is inside the checkout; set TMPDIR elsewhere" ;; esac
server_pid=""
cleanup() {
    local rc=$?
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$keep" = 1 ] || [ "$rc" != 0 ]; then
        echo "smoke: files kept in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# --- build the wheel from a copy of the sources (an in-tree build leaves build/ behind, and
# a stale build/lib can put files in the wheel that the sources no longer have)
step "building the wheel"
builder=$python
[ -x "$root/.venv/bin/python" ] && builder="$root/.venv/bin/python"
mkdir -p "$work/src" "$work/dist"
cp -R "$root/pyproject.toml" "$root/README.md" "$root/sandbox" "$root/problems" "$root/codeforces" "$work/src/"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
"$builder" -m pip wheel -q --no-deps -w "$work/dist" "$work/src" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "pip wheel failed"; }
wheels=("$work"/dist/cpforge-*.whl)
[ -f "${wheels[0]}" ] || fail "no cpforge wheel in $work/dist"
wheel=${wheels[0]}
echo "wheel: $(basename "$wheel")"
rm -rf "$work/src"

# --- a fresh venv outside the checkout, the wheel and only the `rl` extra
step "installing the wheel with [rl] into a fresh venv"
"$python" -m venv "$work/venv" || fail "cannot create a venv with $python (apt-get install python3-venv)"
venv="$work/venv/bin"
"$venv/python" -m pip install -q "cpforge[rl] @ file://$wheel" >"$work/install.log" 2>&1 \
    || { cat "$work/install.log" >&2; fail "pip install of the wheel failed"; }

run_dir="$work/run"
mkdir -p "$run_dir"
cd "$run_dir"
export CPFORGE_CACHE_DIR="$work/cache"
unset PYTHONPATH
# The installed package, not the checkout, must be what runs.
"$venv/python" - "$root" <<'EOF' || fail "cpforge's packages are not the installed ones"
import importlib.util, sys
from pathlib import Path
root = Path(sys.argv[1]).resolve()
for name in ("sandbox", "problems", "codeforces"):  # codeforces needs [scrape] to import: locate it only
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        sys.exit(f"{name} is not installed")
    where = Path(spec.origin).resolve()
    if root in where.parents:
        sys.exit(f"{name} comes from the checkout: {where}")
    print(f"  {name}: {where.parent}")
EOF

step "verifier doctor"
"$venv/verifier" doctor >"$work/doctor.log" 2>&1 || { cat "$work/doctor.log" >&2; fail "verifier doctor exited non-zero"; }
grep -E '^(ok|FAIL|warn|--)' "$work/doctor.log" || true

step "verifier run: C, C++, Python, PyPy, Java"
cat >sum.c <<'EOF'
#include <stdio.h>
int main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\n", a + b); return 0; }
EOF
cat >sum.cpp <<'EOF'
#include <bits/stdc++.h>
int main() { long long a, b; std::cin >> a >> b; std::vector<long long> v{a, b}; std::cout << std::accumulate(v.begin(), v.end(), 0LL) << "\n"; }
EOF
printf 'import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n' >sum.py
cat >Main.java <<'EOF'
import java.io.*;
import java.util.*;
public class Main {
    public static void main(String[] args) throws IOException {
        StringTokenizer t = new StringTokenizer(new BufferedReader(new InputStreamReader(System.in)).readLine());
        System.out.println(Long.parseLong(t.nextToken()) + Long.parseLong(t.nextToken()));
    }
}
EOF
printf '2000000000 40\n' >sum.in
check_run() {  # FILE LANG: OK and the sum on stdout
    local file=$1 lang=$2 rc=0
    "$venv/verifier" run "$file" --lang "$lang" --stdin sum.in --json >"run-$lang.json" 2>"run-$lang.err" || rc=$?
    "$venv/python" - "run-$lang.json" "$lang" "$rc" <<'EOF' || { cat "run-$lang.json" "run-$lang.err" >&2; fail "verifier run $file --lang $lang"; }
import json, sys
path, lang, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
result = json.load(open(path))
status, out = result.get("status"), result.get("stdout")
print(f"  {lang:8} exit {rc}  status {status}  stdout {out!r}  cpu {result.get('cpu_time')}")
if rc != 0 or status != "OK" or out.strip() != "2000000040":
    sys.exit(f"{lang}: expected exit 0, status OK, stdout 2000000040")
EOF
}
check_run sum.c c17
check_run sum.cpp cpp17
check_run sum.py python3
check_run sum.py pypy3
check_run Main.java java17

step "verifier judge: AC and WA"
# Named like a Codeforces problem so that build-dataset can use it below.
problem="$run_dir/1000A"
mkdir -p "$problem/tests"
printf '{"name": "1000A", "time_limit": 1.0, "memory_limit": 256, "checker": "tokens", "samples": ["1"]}\n' \
    >"$problem/problem.json"
printf '1 2\n' >"$problem/tests/1.in";                   printf '3\n' >"$problem/tests/1.out"
printf -- '-5 5\n' >"$problem/tests/2.in";               printf '0\n' >"$problem/tests/2.out"
printf '1000000000 1000000000\n' >"$problem/tests/10.in"; printf '2000000000\n' >"$problem/tests/10.out"
printf 'a, b = map(int, input().split())\nprint(a - b)\n' >wrong.py
check_judge() {  # PROBLEM FILE EXPECTED_VERDICT EXPECTED_EXIT
    local rc=0
    "$venv/verifier" judge "$1" "$2" --json >"judge-$2.json" 2>"judge-$2.err" || rc=$?
    "$venv/python" - "judge-$2.json" "$3" "$4" "$rc" <<'EOF' || { cat "judge-$2.json" "judge-$2.err" >&2; fail "verifier judge $2"; }
import json, sys
path, verdict, want_rc, rc = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
result = json.load(open(path))
print(f"  {path[6:-5]:10} exit {rc}  verdict {result.get('verdict')}  {result.get('passed')}/{result.get('total')}")
if result.get("verdict") != verdict or rc != want_rc:
    sys.exit(f"expected verdict {verdict} and exit {want_rc}")
EOF
}
check_judge "$problem" sum.cpp AC 0
check_judge "$problem" Main.java AC 0
check_judge "$problem" wrong.py WA 1

step "the bundled sample set from the installed package"
"$venv/python" - <<'EOF' || fail "the bundled sample set does not load from the wheel"
from problems.samples import bundled_root, load_bundled
bundled = list(load_bundled())
assert bundled, "no bundled problems"
for item in bundled:
    assert (item.judge_dir / "problem.json").is_file(), item.judge_dir
    assert item.references, f"{item.slug}: no reference solution"
print(f"  {len(bundled)} problems, {sum(len(b.solutions) for b in bundled)} solutions in {bundled_root()}")
EOF

step "reward adapters in-process with only [rl]"
"$venv/python" - <<'EOF' || fail "the reward adapters do not work with the rl extra"
import asyncio
import importlib
import importlib.util

for name in ("client", "local", "trl", "verl"):
    importlib.import_module(f"sandbox.rewards.{name}")
server_only = [name for name in ("fastapi", "uvicorn", "prometheus_client") if importlib.util.find_spec(name)]
print(f"  server-only packages present: {server_only or 'none'}")

from sandbox.rewards.local import close_local_runtimes
from sandbox.rewards.trl import make_trl_reward
from sandbox.rewards.verl import compute_score

tests = {"inputs": ["1 2\n", "10 -4\n"], "outputs": ["3\n", "6\n"]}
right = "Here it is:\n```python\na, b = map(int, input().split())\nprint(a + b)\n```\n"
wrong = "```python\na, b = map(int, input().split())\nprint(a * b)\n```"
good, bad = (compute_score("codeforces", text, tests) for text in (right, wrong))
print(f"  verl compute_score: AC {good['score']} ({good['verdict']}), WA {bad['score']} ({bad['verdict']})")
assert (good["score"], bad["score"]) == (1.0, 0.0), (good, bad)

info = {"language": "python", "test_cases": [{"type": "stdin_stdout", "input": "1 2\n", "output": "3\n"}]}
reward = make_trl_reward()
completions = [[{"role": "assistant", "content": text}] for text in (right, wrong)]
scores = reward(prompts=[[{"role": "user", "content": "A+B"}]] * 2, completions=completions,
                verification_info=[info, info])
if asyncio.iscoroutine(scores):
    scores = asyncio.run(scores)
print(f"  TRL reward: {scores}")
assert list(scores) == [1.0, 0.0], scores
close_local_runtimes()
EOF

step "installing [dataset] and [server] as well"
"$venv/python" -m pip install -q "cpforge[rl,dataset,server] @ file://$wheel" >"$work/install-more.log" 2>&1 \
    || { cat "$work/install-more.log" >&2; fail "pip install of cpforge[rl,dataset,server] failed"; }

step "the reward adapters over HTTP (verifier serve)"
port=$("$venv/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/verifier" serve --host 127.0.0.1 --port "$port" --workers 2 --token smoke-token >"$work/serve.log" 2>&1 &
server_pid=$!
"$venv/python" - "http://127.0.0.1:$port" "$server_pid" <<'EOF' || { cat "$work/serve.log" >&2; fail "the reward adapters over HTTP"; }
import asyncio, os, sys, time
import httpx
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while True:
    try:
        if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
            break
    except httpx.HTTPError:
        pass
    if time.monotonic() > deadline or not os.path.exists(f"/proc/{pid}"):
        sys.exit("verifier serve did not become healthy")
    time.sleep(0.3)

from sandbox.rewards.trl import make_trl_reward
from sandbox.rewards.verl import compute_score

tests = {"inputs": ["1 2\n", "10 -4\n"], "outputs": ["3\n", "6\n"]}
right = "```cpp\n#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b;}\n```"
wrong = "```python\nprint(0)\n```"
scores = [compute_score("codeforces", text, tests, server_url=url, token="smoke-token")["score"]
          for text in (right, wrong)]
print(f"  verl compute_score over HTTP: {scores}")
assert scores == [1.0, 0.0], scores

info = {"test_cases": [{"type": "stdin_stdout", "input": "1 2\n", "output": "3\n"}]}
reward = make_trl_reward(url, token="smoke-token")
result = reward(prompts=["A+B"] * 2, completions=[right, wrong], verification_info=[info, info])
if asyncio.iscoroutine(result):
    result = asyncio.run(result)
print(f"  TRL reward over HTTP: {result}")
assert list(result) == [1.0, 0.0], result
EOF
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

step "build-dataset run on that problem"
"$venv/python" - <<'EOF'
import json
ac = open("sum.cpp").read()
wa = open("wrong.py").read()
with open("candidates.jsonl", "w") as out:
    for language, code in (("cpp17", ac), ("python3", wa)):
        out.write(json.dumps({"problem_id": "1000A", "language": language, "code": code}) + "\n")
EOF
"$venv/build-dataset" run --problems "$problem" --candidates candidates.jsonl --out dataset --min-tests 0 \
    >"$work/dataset.log" 2>&1 || { cat "$work/dataset.log" >&2; fail "build-dataset run exited non-zero"; }
"$venv/python" - <<'EOF' || { cat "$work/dataset.log" >&2; fail "build-dataset wrote an unexpected dataset"; }
from pathlib import Path
import pyarrow.parquet as pq
rows = {}
for config in ("problems", "verified"):
    files = sorted(Path("dataset/data", config).glob("*.parquet"))
    assert files, f"no dataset/data/{config}/*.parquet"
    rows[config] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
print(f"  rows: {rows}")
assert rows == {"problems": 1, "verified": 1}, rows
EOF

step "passed in $((SECONDS - started)) s"
