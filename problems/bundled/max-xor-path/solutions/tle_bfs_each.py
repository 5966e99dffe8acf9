# Too slow: a breadth-first search from every vertex computes the xor to all others,
# O(n^2) visits.
import sys
from collections import deque


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    adjacent = [[] for _ in range(n + 1)]
    for i in range(2, n + 1):
        p, w = int(data[i - 1]), int(data[n + i - 2])
        adjacent[i].append((p, w))
        adjacent[p].append((i, w))
    best = 0
    for source in range(1, n + 1):
        value = [-1] * (n + 1)
        value[source] = 0
        queue = deque([source])
        while queue:
            u = queue.popleft()
            for v, w in adjacent[u]:
                if value[v] < 0:
                    value[v] = value[u] ^ w
                    best = max(best, value[v])
                    queue.append(v)
    print(best)


main()
