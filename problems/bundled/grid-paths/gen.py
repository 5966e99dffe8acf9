"""Deterministic test generator for grid-paths: `python3 gen.py` rewrites tests/."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"
MOD = 10**9 + 7


def count(grid: list[str]) -> int:
    m = len(grid[0])
    row = [0] * m
    for i, line in enumerate(grid):
        for j, c in enumerate(line):
            if c == "#":
                row[j] = 0
            elif i == 0 and j == 0:
                row[j] = 1
            else:
                row[j] = (row[j] + (row[j - 1] if j else 0)) % MOD
    return row[-1]


def random_grid(rng: random.Random, n: int, m: int, p: float) -> list[str]:
    return ["".join("#" if rng.random() < p else "." for _ in range(m)) for _ in range(n)]


def main() -> None:
    rng = random.Random(990002_4)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    open30 = ["." * 30 for _ in range(30)]
    blocked_start = ["." * 8 for _ in range(8)]
    blocked_start[0] = "#" + "." * 7
    blocked_end = ["." * 8 for _ in range(7)] + ["." * 7 + "#"]
    tests = {
        "sample1": ["...", ".#.", "..."],
        "sample2": ["..#", "#..", "##."],
        "1": ["."],
        "2": ["#"],
        "3": blocked_start,
        "4": blocked_end,
        "5": open30,
        "6": ["." * 250 for _ in range(250)],
        "7": random_grid(rng, 200, 200, 0.1),
        "8": ["." * 1000],
        "9": ["." for _ in range(500)],
        "10": ["." * 20 + "#" + "." * 19] + ["." * 40 for _ in range(39)],
        "11": random_grid(rng, 60, 80, 0.12),
    }
    for grid in (tests["7"], tests["11"]):
        grid[0] = "." + grid[0][1:]
        grid[-1] = grid[-1][:-1] + "."
    for name, grid in tests.items():
        (TESTS / f"{name}.in").write_text(f"{len(grid)} {len(grid[0])}\n" + "\n".join(grid) + "\n")
        (TESTS / f"{name}.out").write_text(f"{count(grid)}\n")


if __name__ == "__main__":
    main()
