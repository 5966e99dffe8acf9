"""Deterministic test generator for fence-rope: `python3 gen.py` rewrites tests/.

The answer is the perimeter of the convex hull (monotone chain, exact integer cross
products), printed with 9 decimals."""

import math
import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def perimeter(points: list[tuple[int, int]]) -> float:
    pts = sorted(set(points))
    if len(pts) < 2:
        return 0.0

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(seq):
        chain = []
        for p in seq:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    hull = half(pts)[:-1] + half(pts[::-1])[:-1]
    return sum(math.dist(hull[i], hull[i - 1]) for i in range(len(hull)))


def main() -> None:
    rng = random.Random(990003_3)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    big = 10**6

    def disk(n, r):
        out = []
        while len(out) < n:
            x, y = rng.randint(-r, r), rng.randint(-r, r)
            if x * x + y * y <= r * r:
                out.append((x, y))
        return out

    tests = {
        "sample1": [(0, 0), (2, 0), (2, 2), (0, 2), (1, 1)],
        "sample2": [(0, 0), (1, 1), (3, 3)],
        "1": [(5, -7)],
        "2": [(3, 3), (3, 3), (3, 3)],
        "3": [(-big, -big), (big, big)],
        "4": [(rng.randint(-10, 10), rng.randint(-10, 10)) for _ in range(200)],
        "5": [(x, x * x) for x in range(-2500, 2500)],
        "6": disk(3000, big),
        "7": [(x, 0) for x in range(-500, 501)] + [(0, 7)],
        "8": [(-big, -big), (big, -big), (big, big), (-big, big)] + disk(500, big),
        "9": [(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(40)],
        "10": [(x, 2 * x + 1) for x in range(-300, 300, 7)],
    }
    for name, points in tests.items():
        text = f"{len(points)}\n" + "".join(f"{x} {y}\n" for x, y in points)
        (TESTS / f"{name}.in").write_text(text)
        (TESTS / f"{name}.out").write_text(f"{perimeter(points):.9f}\n")


if __name__ == "__main__":
    main()
