"""The input on stdin; exit 0 when valid, else exit 3 with the reason on stderr.
Format: "n k" then n integers; 1 <= n <= 200000, 1 <= k <= 2*10^9, 1 <= a_i <= 10^9."""
import re
import sys


def fail(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.exit(3)


text = sys.stdin.buffer.read().decode("ascii", errors="replace")
lines = text.split("\n")
if len(lines) != 3 or lines[2] != "":
    fail("expected exactly two lines, each ending with a newline")
head = lines[0].split(" ")
if len(head) != 2 or not all(re.fullmatch(r"0|-?[1-9][0-9]{0,18}", t) for t in head):
    fail("line 1: expected two integers n k")
n, k = int(head[0]), int(head[1])
if not 1 <= n <= 200000:
    fail(f"line 1: n = {n} is out of [1, 200000]")
if not 1 <= k <= 2 * 10**9:
    fail(f"line 1: k = {k} is out of [1, 2000000000]")
values = lines[1].split(" ")
if len(values) != n:
    fail(f"line 2: expected {n} integers, found {len(values)}")
for i, token in enumerate(values, start=1):
    if not re.fullmatch(r"[1-9][0-9]{0,9}", token) or int(token) > 10**9:
        fail(f"line 2: a_{i} = {token!r} is not an integer in [1, 1000000000]")
