"""Deterministic test generator for shift-seats: `python3 gen.py` rewrites tests/.

The answer files hold one valid reseating (a cyclic shift), or -1 when n = 1."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def answer(n: int) -> str:
    return "-1" if n == 1 else " ".join(str(i % n + 1) for i in range(1, n + 1))


def main() -> None:
    rng = random.Random(990001_2)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    tests = {
        "sample1": [1, 2, 3],
        "1": [rng.randint(1, 6) for _ in range(300)],
        "2": [1] * 2000,
        "3": [2] * 1000 + [3] * 1000,
        "4": [rng.randint(1, 60) for _ in range(200)],
        "5": [9999],
        "6": [rng.randint(2, 40) for _ in range(100)],
        "7": [rng.randint(500, 900) for _ in range(3)],
        "8": [1, 2, 1, 4, 1],
        "9": list(range(1, 61)),
    }
    for name, sizes in tests.items():
        (TESTS / f"{name}.in").write_text("\n".join(map(str, [len(sizes)] + sizes)) + "\n")
        (TESTS / f"{name}.out").write_text("\n".join(answer(n) for n in sizes) + "\n")


if __name__ == "__main__":
    main()
