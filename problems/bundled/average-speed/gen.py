"""Deterministic test generator for average-speed: `python3 gen.py` rewrites tests/.

Answers are computed exactly with fractions and printed with 9 decimals."""

import random
from fractions import Fraction
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def average(ride: list[tuple[int, int]]) -> str:
    distance = sum(d for d, _ in ride)
    hours = sum(Fraction(d, v) for d, v in ride)
    value = Fraction(distance) / hours
    return f"{float(value):.9f}"


def fmt(rides: list[list[tuple[int, int]]]) -> str:
    lines = [str(len(rides))]
    for ride in rides:
        lines.append(str(len(ride)))
        lines += [f"{d} {v}" for d, v in ride]
    return "\n".join(lines) + "\n"


def main() -> None:
    rng = random.Random(990001_4)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    big = 10**6

    def ride(n, dmax, vmax):
        return [(rng.randint(1, dmax), rng.randint(1, vmax)) for _ in range(n)]

    tests = {
        "sample1": [[(60, 60), (60, 30)], [(10, 5)], [(1, 3), (2, 7)]],
        "1": [ride(rng.randint(1, 5), 3, 3) for _ in range(300)],
        "2": [ride(1, big, big) for _ in range(1000)],
        "3": [ride(rng.randint(1, 20), 100, 100) for _ in range(120)],
        "4": [ride(3000, big, big)],
        "5": [[(big, big)] * 10, [(1, 1), (big, big)], [(big, 1), (1, big)], [(1, big)] * 10],
        "6": [ride(2000, 10, 2)],
        "7": [ride(rng.randint(1, 40), big, 1000) for _ in range(100)],
        "8": [[(rng.randint(1, 9), 1)] + [(1, big)] * 50 for _ in range(40)],
        "9": [ride(2, 1, 3) for _ in range(500)],
    }
    for name, rides in tests.items():
        (TESTS / f"{name}.in").write_text(fmt(rides))
        (TESTS / f"{name}.out").write_text("\n".join(average(r) for r in rides) + "\n")


if __name__ == "__main__":
    main()
