# Reference: Kahn's algorithm with a plain list used as a queue.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    after = [[] for _ in range(n + 1)]
    indegree = [0] * (n + 1)
    for i in range(m):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        after[u].append(v)
        indegree[v] += 1
    order = [v for v in range(1, n + 1) if indegree[v] == 0]
    for u in order:  # the list grows while we iterate over it
        for v in after[u]:
            indegree[v] -= 1
            if indegree[v] == 0:
                order.append(v)
    print(" ".join(map(str, order)) if len(order) == n else -1)


main()
