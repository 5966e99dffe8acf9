"""Deterministic test generator for hidden-peak: `python3 gen.py` rewrites tests/.

A test is read by the interactor: "list n a_1 ... a_n", or "gen n p seed" for a long
array the interactor builds itself (increasing up to p, decreasing after). The answer
file holds the index of the peak, which the interactor writes to its output on success."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def main() -> None:
    rng = random.Random(990002_5)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    listed = {
        "sample1": [1, 3, 7, 4, 2],
        "1": [42],
        "2": [5, 9],
        "3": [9, 5],
        "4": [3, 4, 6, 8, 2, 1],
    }
    for name, a in listed.items():
        peak = a.index(max(a)) + 1
        (TESTS / f"{name}.in").write_text(f"list {len(a)}\n{' '.join(map(str, a))}\n")
        (TESTS / f"{name}.out").write_text(f"{peak}\n")
    generated = {
        "5": (100000, 100000),
        "6": (100000, 1),
        "7": (100000, 50000),
        "8": (100000, rng.randint(1, 100000)),
        "9": (99999, 99998),
        "10": (65537, 2),
        "11": (1000, rng.randint(1, 1000)),
        "12": (100000, rng.randint(1, 100000)),
    }
    for name, (n, p) in generated.items():
        (TESTS / f"{name}.in").write_text(f"gen {n} {p} {rng.getrandbits(62)}\n")
        (TESTS / f"{name}.out").write_text(f"{p}\n")


if __name__ == "__main__":
    main()
