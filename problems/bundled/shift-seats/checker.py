"""Checker for shift-seats in open-r1's generated_checker convention.

Run as `python3 checker.py input answer output`; prints 1 when the output is accepted and
0 otherwise. The reason goes to stderr."""

import sys


def verdict(ok, message=""):
    if message:
        sys.stderr.write(message + "\n")
    print(1 if ok else 0)
    sys.exit(0)


def main():
    # The last three arguments, so that a runner which also passes the script's own name
    # (`python3 runner checker.py input answer output`) works too.
    input_path, answer_path, output_path = sys.argv[-3:]
    with open(input_path) as f:
        data = f.read().split()
    with open(answer_path) as f:
        jury = f.read().split()
    with open(output_path, errors="replace") as f:
        out = f.read().split()
    t = int(data[0])
    sizes = [int(x) for x in data[1:1 + t]]
    pos = jpos = 0
    for case, n in enumerate(sizes, 1):
        impossible = jury[jpos] == "-1"
        jpos += 1 if impossible else n
        if pos >= len(out):
            verdict(False, f"test case {case}: output ended early")
        if out[pos] == "-1":
            pos += 1
            if not impossible:
                verdict(False, f"test case {case}: answered -1 but n = {n} can be reseated")
            continue
        if impossible:
            verdict(False, f"test case {case}: n = {n} cannot be reseated, expected -1")
        tokens = out[pos:pos + n]
        pos += n
        if len(tokens) < n:
            verdict(False, f"test case {case}: expected {n} numbers, found {len(tokens)}")
        try:
            p = [int(x) for x in tokens]
        except ValueError:
            verdict(False, f"test case {case}: not an integer among {tokens[:5]}")
        seen = [False] * (n + 1)
        for i, v in enumerate(p, 1):
            if not 1 <= v <= n:
                verdict(False, f"test case {case}: seat {v} is out of range")
            if seen[v]:
                verdict(False, f"test case {case}: seat {v} is used twice")
            seen[v] = True
            if v == i:
                verdict(False, f"test case {case}: student {i} keeps seat {i}")
    if pos != len(out):
        verdict(False, f"extra tokens after the last test case: {out[pos]!r}")
    verdict(True, f"{t} test cases ok")


main()
