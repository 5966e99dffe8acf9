"""The input on stdin; exit 0 when valid, else exit 3 with the reason on stderr.
Format: "n" then n integers; 1 <= n <= 1000, -10^9 <= a_i <= 10^9."""
import re
import sys


def fail(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.exit(3)


lines = sys.stdin.buffer.read().decode("ascii", errors="replace").split("\n")
if len(lines) != 3 or lines[2] != "":
    fail("expected exactly two lines, each ending with a newline")
if not re.fullmatch(r"[1-9][0-9]{0,3}", lines[0]) or int(lines[0]) > 1000:
    fail(f"line 1: n = {lines[0]!r} is not an integer in [1, 1000]")
n = int(lines[0])
values = lines[1].split(" ")
if len(values) != n:
    fail(f"line 2: expected {n} integers, found {len(values)}")
for i, token in enumerate(values, start=1):
    if not re.fullmatch(r"0|-?[1-9][0-9]{0,9}", token) or abs(int(token)) > 10**9:
        fail(f"line 2: a_{i} = {token!r} is not an integer in [-1000000000, 1000000000]")
