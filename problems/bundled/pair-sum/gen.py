"""Deterministic test generator for pair-sum: `python3 gen.py` rewrites tests/.

The answer file holds one valid pair (the first found scanning left to right) or -1."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def solve(s: int, a: list[int]) -> str:
    seen: dict[int, int] = {}
    for j, x in enumerate(a, 1):
        if s - x in seen:
            return f"{seen[s - x]} {j}"
        seen.setdefault(x, j)
    return "-1"


def main() -> None:
    rng = random.Random(990002_2)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    big = 10**9
    evens = [2 * rng.randint(1, 49999) for _ in range(12000)]
    planted = [rng.randint(1, 99999) for _ in range(6000)]
    planted[-1], planted[-2] = 123456789, 1000000000 - 123456789
    tests = {
        "sample1": (10, [3, 8, 5, 2]),
        "sample2": (6, [3, 1, 4]),
        "1": (2, [1, 1]),
        "2": (4, [2, 5]),
        "3": (-2 * big, [-big, 5, -big]),
        "4": (2 * big, [big, big - 1, 1, big]),
        "5": (99999, evens),
        "6": (1000000000, planted),
        "7": (0, [rng.randint(-50, 50) for _ in range(300)]),
        "8": (7, [rng.randint(-10**6, 10**6) for _ in range(2000)]),
        "9": (50, [25] + [rng.randint(51, 1000) for _ in range(2000)]),
        "10": (rng.randint(-big, big), [rng.randint(-big, big) for _ in range(1500)]),
    }
    for name, (s, a) in tests.items():
        (TESTS / f"{name}.in").write_text(f"{len(a)} {s}\n{' '.join(map(str, a))}\n")
        (TESTS / f"{name}.out").write_text(solve(s, a) + "\n")


if __name__ == "__main__":
    main()
