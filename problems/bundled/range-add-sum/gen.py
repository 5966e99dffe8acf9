"""Deterministic test generator for range-add-sum: `python3 gen.py` rewrites tests/."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


class Fenwick:
    """Range add / range sum with two Fenwick trees."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.b1 = [0] * (n + 1)
        self.b2 = [0] * (n + 1)

    def _add(self, tree: list[int], i: int, v: int) -> None:
        while i <= self.n:
            tree[i] += v
            i += i & -i

    def add(self, l: int, r: int, x: int) -> None:
        self._add(self.b1, l, x)
        self._add(self.b1, r + 1, -x)
        self._add(self.b2, l, x * (l - 1))
        self._add(self.b2, r + 1, -x * r)

    def prefix(self, i: int) -> int:
        s1 = s2 = 0
        j = i
        while j > 0:
            s1 += self.b1[j]
            s2 += self.b2[j]
            j -= j & -j
        return s1 * i - s2

    def sum(self, l: int, r: int) -> int:
        return self.prefix(r) - self.prefix(l - 1)


def random_ops(rng: random.Random, n: int, q: int, xmax: int, wide: bool = False) -> list[tuple]:
    ops = []
    for _ in range(q):
        l, r = sorted((rng.randint(1, n), rng.randint(1, n)))
        if wide:
            l, r = rng.randint(1, 10), rng.randint(n - 10, n)
        if rng.random() < 0.5:
            ops.append((1, l, r, rng.randint(-xmax, xmax)))
        else:
            ops.append((2, l, r))
    return ops


def main() -> None:
    rng = random.Random(990003_4)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    big = 10**6
    n_max = 200000
    tests = {
        "sample1": (5, [(1, 1, 3, 2), (2, 2, 4), (1, 2, 5, -1), (2, 1, 5), (2, 5, 5)]),
        "1": (1, [(2, 1, 1), (1, 1, 1, big), (2, 1, 1)]),
        "2": (10, random_ops(rng, 10, 200, 10)),
        "3": (1000, random_ops(rng, 1000, 600, big)),
        "4": (n_max, random_ops(rng, n_max, 2500, big, wide=True)),
        "5": (n_max, [(1, 1, n_max, big)] * 1000 + [(2, 1, n_max)] * 10),
        "6": (n_max, [(1, 1, n_max, -big)] * 500 + [(2, i, n_max - i) for i in range(1, 200)]),
        "7": (50000, random_ops(rng, 50000, 1000, big)),
        "8": (7, [(1, i, i, i) for i in range(1, 8)] + [(2, l, r) for l in range(1, 8) for r in range(l, 8)]),
        "9": (n_max, [(2, 1, n_max)]),
    }
    for name, (n, ops) in tests.items():
        tree = Fenwick(n)
        answers = []
        for op in ops:
            if op[0] == 1:
                tree.add(op[1], op[2], op[3])
            else:
                answers.append(tree.sum(op[1], op[2]))
        lines = [f"{n} {len(ops)}", *(" ".join(map(str, op)) for op in ops)]
        (TESTS / f"{name}.in").write_text("\n".join(lines) + "\n")
        (TESTS / f"{name}.out").write_text("".join(f"{v}\n" for v in answers))


if __name__ == "__main__":
    main()
