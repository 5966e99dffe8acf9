"""Deterministic test generator for inversion-count: `python3 gen.py` rewrites tests/."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def inversions(a: list[int]) -> int:
    """Merge sort count of pairs i < j with a[i] > a[j]."""
    if len(a) < 2:
        return 0
    mid = len(a) // 2
    left, right = sorted(a[:mid]), sorted(a[mid:])
    count = inversions(a[:mid]) + inversions(a[mid:])
    j = 0
    for x in left:  # for each left element, count right elements strictly smaller
        while j < len(right) and right[j] < x:
            j += 1
        count += j
    return count


def fmt(cases: list[list[int]]) -> str:
    lines = [str(len(cases))]
    for a in cases:
        lines += [str(len(a)), " ".join(map(str, a))]
    return "\n".join(lines) + "\n"


def main() -> None:
    rng = random.Random(990003_2)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    big = 10**9
    tests = {
        "sample1": [[3, 1, 2], [1, 2, 3, 4], [5, 5, 4]],
        "1": [[1], [2, 1], [1, 1], [7, 7, 7, 7]],
        "2": [[rng.randint(1, 5) for _ in range(rng.randint(1, 10))] for _ in range(600)],
        "3": [[rng.randint(1, big) for _ in range(rng.randint(1, 30))] for _ in range(100)],
        "4": [list(range(15000, 0, -1))],
        "5": [[rng.randint(1, 3) for _ in range(8000)]],
        "6": [[rng.randint(1, big) for _ in range(2000)]],
        "7": [list(range(1, 2001))],
        "8": [[big] * 1000 + [1] * 1000],
        "9": [[rng.randint(1, 100) for _ in range(rng.randint(1, 100))] for _ in range(50)],
    }
    for name, cases in tests.items():
        (TESTS / f"{name}.in").write_text(fmt(cases))
        (TESTS / f"{name}.out").write_text("\n".join(str(inversions(a)) for a in cases) + "\n")


if __name__ == "__main__":
    main()
