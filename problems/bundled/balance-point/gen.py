"""Deterministic test generator for balance-point: `python3 gen.py` rewrites tests/."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def balanced(a: list[int]) -> bool:
    total, prefix = sum(a), 0
    for value in a[:-1]:
        prefix += value
        if 2 * prefix == total:
            return True
    return False


def fmt(cases: list[list[int]]) -> str:
    lines = [str(len(cases))]
    for a in cases:
        lines += [str(len(a)), " ".join(map(str, a))]
    return "\n".join(lines) + "\n"


def with_split(rng: random.Random, n: int, bound: int) -> list[int]:
    """A random array with a balance point after a random position."""
    k = rng.randint(1, n - 1)
    left = [rng.randint(-bound, bound) for _ in range(k)]
    right = [rng.randint(-bound, bound) for _ in range(n - k)]
    right[-1] += sum(left) - sum(right)
    return left + right


def odd_total(rng: random.Random, n: int) -> list[int]:
    """Positive values with an odd total: never balanced."""
    a = [rng.randint(1, 9) for _ in range(n)]
    if sum(a) % 2 == 0:
        a[0] += 1
    return a


def main() -> None:
    rng = random.Random(990001_3)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    big = 10**9
    tests = {
        "sample1": [[1, 2, 3], [1, -1], [5, 5], [3, 1, 1], [0, 0]],
        "1": [[rng.randint(-3, 3) for _ in range(rng.randint(2, 6))] for _ in range(800)],
        "2": [with_split(rng, rng.randint(2, 8), 10) for _ in range(400)],
        "3": [[x, -x] for x in range(1, 1001)],
        "4": [odd_total(rng, 20000)],
        "5": [with_split(rng, 12000, 9)],
        "6": [with_split(rng, 40, big) for _ in range(40)],
        "7": [[big] * 6, [big, big, -big, big], [-big, -big], [big, -big, big, -big, big]],
        "8": [[1] * 9999 + [9999]],
        "9": [[rng.randint(-big, big) for _ in range(rng.randint(2, 5))] for _ in range(1000)],
    }
    for name, cases in tests.items():
        (TESTS / f"{name}.in").write_text(fmt(cases))
        (TESTS / f"{name}.out").write_text("\n".join("YES" if balanced(a) else "NO" for a in cases) + "\n")


if __name__ == "__main__":
    main()
