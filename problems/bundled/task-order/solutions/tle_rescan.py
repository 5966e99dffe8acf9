# Too slow: repeatedly scans all tasks for one whose prerequisites are all placed, O(n^2)
# rounds of checks on a long chain.
import sys

data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
before = [[] for _ in range(n + 1)]
for i in range(m):
    u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
    before[v].append(u)
placed = [False] * (n + 1)
order = []
progress = True
while len(order) < n and progress:
    progress = False
    for v in range(1, n + 1):
        if not placed[v] and all(placed[u] for u in before[v]):
            placed[v] = True
            order.append(v)
            progress = True
            break
print(" ".join(map(str, order)) if len(order) == n else -1)
