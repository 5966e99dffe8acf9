"""Checker for task-order in open-r1's generated_checker convention.

Run as `python3 checker.py input answer output`; prints 1 when the contestant's order is
valid (or both sides say -1) and 0 otherwise, with the reason on stderr. If the contestant
finds a valid order where the jury says -1, the jury is wrong: the checker exits with
code 3, which the judge reports as a checker failure, never as a verdict."""

import sys


def verdict(ok, message):
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
    n, m = int(data[0]), int(data[1])
    edges = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(m)]
    jury_none = jury[:1] == ["-1"]
    if not out:
        verdict(False, "empty output")
    if out == ["-1"]:
        if jury_none:
            verdict(True, "no order exists, as expected")
        verdict(False, "answered -1, but an order exists")
    if len(out) != n:
        verdict(False, f"expected {n} numbers, found {len(out)} tokens")
    position = [0] * (n + 1)
    for index, token in enumerate(out, 1):
        if not token.lstrip("-").isdigit():
            verdict(False, f"token {index} is not an integer: {token[:20]!r}")
        task = int(token)
        if not 1 <= task <= n:
            verdict(False, f"task {task} is out of range")
        if position[task]:
            verdict(False, f"task {task} appears twice")
        position[task] = index
    for u, v in edges:
        if position[u] > position[v]:
            verdict(False, f"task {u} must come before task {v}")
    if jury_none:
        sys.stderr.write("the contestant found a valid order but the jury answered -1\n")
        sys.exit(3)
    verdict(True, f"valid order of {n} tasks")


main()
