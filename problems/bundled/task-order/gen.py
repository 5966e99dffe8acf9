"""Deterministic test generator for task-order: `python3 gen.py` rewrites tests/.

The answer file holds one valid order (Kahn's algorithm, smallest ready task first) or -1."""

import heapq
import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def order(n: int, edges: list[tuple[int, int]]) -> str:
    after = [[] for _ in range(n + 1)]
    indegree = [0] * (n + 1)
    for u, v in edges:
        after[u].append(v)
        indegree[v] += 1
    ready = [v for v in range(1, n + 1) if indegree[v] == 0]
    heapq.heapify(ready)
    result = []
    while ready:
        u = heapq.heappop(ready)
        result.append(u)
        for v in after[u]:
            indegree[v] -= 1
            if indegree[v] == 0:
                heapq.heappush(ready, v)
    return " ".join(map(str, result)) if len(result) == n else "-1"


def random_dag(rng: random.Random, n: int, m: int) -> list[tuple[int, int]]:
    rank = list(range(1, n + 1))
    rng.shuffle(rank)
    edges = []
    for _ in range(m):
        i, j = sorted(rng.sample(range(n), 2))
        edges.append((rank[i], rank[j]))
    return edges


def main() -> None:
    rng = random.Random(990003_1)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    dag = random_dag(rng, 2000, 3500)
    cyclic = random_dag(rng, 1500, 2000)
    u, v = cyclic[0]
    cyclic.append((v, u))
    tests = {
        "sample1": (4, [(1, 2), (1, 3), (3, 4)]),
        "sample2": (3, [(1, 2), (2, 3), (3, 1)]),
        "1": (1, []),
        "2": (5, []),
        "3": (2, [(2, 1), (2, 1)]),
        "4": (6, [(1, 2), (2, 3), (4, 5), (5, 6), (6, 4)]),
        "5": (5000, [(1, 5000)] + [(i + 1, i) for i in range(4999, 1, -1)]),
        "6": (2000, dag),
        "7": (1500, cyclic),
        "8": (50, random_dag(rng, 50, 200)),
        "9": (400, [(rng.randint(1, 400), rng.randint(1, 400)) for _ in range(10)]),
        "10": (1000, [(1, v) for v in range(2, 1001)] + [(v, 1000) for v in range(2, 1000)]),
    }
    # test 9 may contain self-loops from the random pairs: drop them, they are not allowed
    tests["9"] = (400, [(a, b) for a, b in tests["9"][1] if a != b])
    for name, (n, edges) in tests.items():
        lines = [f"{n} {len(edges)}", *(f"{a} {b}" for a, b in edges)]
        (TESTS / f"{name}.in").write_text("\n".join(lines) + "\n")
        (TESTS / f"{name}.out").write_text(order(n, edges) + "\n")


if __name__ == "__main__":
    main()
