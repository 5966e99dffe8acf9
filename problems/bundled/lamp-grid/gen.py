"""Deterministic test generator for lamp-grid: `python3 gen.py` rewrites tests/."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def solve(grid: list[str], ops: list[tuple[str, int]]) -> list[int]:
    cells = [[int(c) for c in row] for row in grid]
    out = []
    for kind, k in ops:
        if kind == "R":
            cells[k - 1] = [1 - x for x in cells[k - 1]]
        else:
            for row in cells:
                row[k - 1] ^= 1
        out.append(sum(map(sum, cells)))
    return out


def make(rng: random.Random, n: int, m: int, q: int, density: float = 0.5) -> tuple:
    grid = ["".join("1" if rng.random() < density else "0" for _ in range(m)) for _ in range(n)]
    ops = [("R", rng.randint(1, n)) if rng.random() < 0.5 else ("C", rng.randint(1, m)) for _ in range(q)]
    return grid, ops


def main() -> None:
    rng = random.Random(990001_5)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    tests = {
        "sample1": (["101", "010"], [("R", 1), ("C", 2), ("R", 1)]),
        "1": make(rng, 1, 1, 10),
        "2": make(rng, 5, 7, 50),
        "3": make(rng, 30, 40, 400, 0.1),
        "4": (["0" * 120] * 100, [("R", i % 100 + 1) for i in range(600)]),
        "5": make(rng, 200, 250, 2500),
        "6": make(rng, 1, 300, 500),
        "7": make(rng, 300, 1, 500),
        "8": (["1" * 100] * 100, [("C", 1 + i % 100) for i in range(2000)]),
        "9": make(rng, 60, 60, 1500, 0.9),
    }
    for name, (grid, ops) in tests.items():
        lines = [f"{len(grid)} {len(grid[0])} {len(ops)}", *grid, *(f"{kind} {k}" for kind, k in ops)]
        (TESTS / f"{name}.in").write_text("\n".join(lines) + "\n")
        (TESTS / f"{name}.out").write_text("\n".join(map(str, solve(grid, ops))) + "\n")


if __name__ == "__main__":
    main()
