"""Deterministic test generator for guess-the-number: `python3 gen.py` rewrites tests/.

A test's input is read by the interactor: the number of games, then "n x" per game (x is
the hidden number). The answer file lists the hidden numbers, which the interactor writes
to its output file when the solution wins every game."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def main() -> None:
    rng = random.Random(990002_1)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    big = 10**9
    tests = {
        "sample1": [(10, 7), (1, 1)],
        "1": [(n, x) for n in range(1, 9) for x in range(1, n + 1)][:100],
        "2": [(big, 1), (big, big), (big, big // 2), (big, big // 2 + 1)],
        "3": [(big, rng.randint(1, big)) for _ in range(40)],
        "4": [(2**k, rng.choice([1, 2**k, rng.randint(1, 2**k)])) for k in range(30)],
        "5": [(n, rng.randint(1, n)) for n in (rng.randint(1, 1000) for _ in range(100))],
        "6": [(big, big - i) for i in range(30)],
        "7": [(2**29 + 1, 2**29 + 1), (2**29 - 1, 1), (999_999_937, 500_000_000)],
        "8": [(2, 1), (2, 2), (3, 2)],
        "9": [(rng.randint(1, big), 1) for _ in range(40)],
    }
    for name, games in tests.items():
        games = [(n, x if x <= n else n) for n, x in games]
        (TESTS / f"{name}.in").write_text(f"{len(games)}\n" + "".join(f"{n} {x}\n" for n, x in games))
        (TESTS / f"{name}.out").write_text("".join(f"{x}\n" for _, x in games))


if __name__ == "__main__":
    main()
