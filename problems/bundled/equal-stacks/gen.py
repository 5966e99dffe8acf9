"""Deterministic test generator for equal-stacks: `python3 gen.py` rewrites tests/."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def solve(text: str) -> str:
    data = text.split()
    t, pos, out = int(data[0]), 1, []
    for _ in range(t):
        n = int(data[pos])
        a = list(map(int, data[pos + 1:pos + 1 + n]))
        pos += 1 + n
        out.append(str(n * max(a) - sum(a)))
    return "\n".join(out) + "\n"


def fmt(cases: list[list[int]]) -> str:
    lines = [str(len(cases))]
    for a in cases:
        lines += [str(len(a)), " ".join(map(str, a))]
    return "\n".join(lines) + "\n"


def main() -> None:
    rng = random.Random(990001_1)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    tests = {
        "sample1": "3\n3\n1 2 3\n1\n5\n4\n4 4 1 4\n",
        "1": fmt([[rng.randint(1, 10) for _ in range(rng.randint(1, 10))] for _ in range(500)]),
        "2": fmt([[rng.randint(1, 10**9)] for _ in range(1000)]),
        "3": fmt([[10**9, 1, 1], [10**9] * 5, [1, 10**9, 10**9, 1]]),
        "4": fmt([[rng.randint(1, 10**9) for _ in range(3000)]]),
        "5": fmt([[1] * 4000 + [10**9]]),
        "6": fmt([[10**9] * 1000]),
        "7": fmt([[rng.randint(10**9 - 5, 10**9) for _ in range(rng.randint(1, 50))] for _ in range(200)]),
        "8": fmt([[rng.choice([1, 10**9]) for _ in range(rng.randint(2, 30))] for _ in range(300)]),
        "9": fmt([[7, 7, 7, 8], [2, 1], [1, 2], [3, 3, 3], [999999999, 1000000000]]),
    }
    for name, text in tests.items():
        (TESTS / f"{name}.in").write_text(text)
        (TESTS / f"{name}.out").write_text(solve(text))


if __name__ == "__main__":
    main()
