"""Deterministic test generator for max-xor-path: `python3 gen.py` rewrites tests/.

A tree is given by parents p_2..p_n (p_i < i) and edge weights w_2..w_n."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def best_xor(parents: list[int], weights: list[int]) -> int:
    n = len(parents) + 1
    d = [0] * (n + 1)
    for i in range(2, n + 1):
        d[i] = d[parents[i - 2]] ^ weights[i - 2]
    values = d[1:]
    best = 0
    for bit in range(29, -1, -1):
        prefixes = {v >> bit for v in values}
        want = (best << 1) | 1
        best = want if any(want ^ p in prefixes for p in prefixes) else best << 1
    return best


def main() -> None:
    rng = random.Random(990003_6)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    top = (1 << 30) - 1

    def random_tree(n, wmax, depth=None):
        parents = [rng.randint(max(1, i - depth) if depth else 1, i - 1) for i in range(2, n + 1)]
        return parents, [rng.randint(0, wmax) for _ in range(n - 1)]

    tests = {
        "sample1": ([1, 2, 2], [3, 5, 6]),
        "sample2": ([1], [0]),
        "1": ([1], [top]),
        "2": (list(range(1, 12)), [1 << i for i in range(11)]),
        "3": random_tree(100, 15),
        "4": random_tree(1000, top),
        "5": (list(range(1, 6000)), [rng.randint(0, (1 << 16) - 1) for _ in range(5999)]),
        "6": random_tree(2500, top),
        "7": ([1] * 1999, [rng.randint(0, top) for _ in range(1999)]),
        "8": random_tree(1200, top, depth=3),
        "9": ([1] * 50, [7] * 50),
    }
    for name, (parents, weights) in tests.items():
        n = len(parents) + 1
        (TESTS / f"{name}.in").write_text(f"{n}\n{' '.join(map(str, parents))}\n{' '.join(map(str, weights))}\n")
        (TESTS / f"{name}.out").write_text(f"{best_xor(parents, weights)}\n")


if __name__ == "__main__":
    main()
