"""Deterministic test generator for kth-gap: `python3 gen.py` rewrites tests/."""

import random
from bisect import bisect_right
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def kth_gap(a: list[int], k: int) -> int:
    a = sorted(a)
    n = len(a)
    lo, hi = 0, a[-1] - a[0]
    while lo < hi:
        mid = (lo + hi) // 2
        pairs = sum(bisect_right(a, a[i] + mid) - i - 1 for i in range(n))
        if pairs >= k:
            hi = mid
        else:
            lo = mid + 1
    return lo


def main() -> None:
    rng = random.Random(990003_5)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    top = 10**9
    tests = {
        "sample1": ([1, 6, 3, 10], 3),
        "sample2": ([4, 4, 9], 3),
        "1": ([0, top], 1),
        "2": ([5, 5, 5, 5], 6),
        "3": ([rng.randint(0, 100) for _ in range(100)], rng.randint(1, 4950)),
        "4": ([rng.randint(0, 10**6) for _ in range(10000)], rng.randint(1, 49995000)),
        "5": ([rng.randint(0, 10**6) for _ in range(3000)], 1),
        "6": (list(range(0, 3 * 6000, 3)), 6000 * 5999 // 2),
        "7": ([rng.randint(0, top) for _ in range(2000)], rng.randint(1, 1999000)),
        "8": ([rng.choice([0, top]) for _ in range(500)], 124750),
        "9": ([i * i for i in range(300)], 20000),
    }
    for name, (a, k) in tests.items():
        (TESTS / f"{name}.in").write_text(f"{len(a)} {k}\n{' '.join(map(str, a))}\n")
        (TESTS / f"{name}.out").write_text(f"{kth_gap(a, k)}\n")


if __name__ == "__main__":
    main()
