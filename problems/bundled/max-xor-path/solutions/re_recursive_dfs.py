# Runtime error: recursive depth-first search from the root; on a path of thousands of
# vertices it exceeds Python's recursion limit (RecursionError).
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    children = [[] for _ in range(n + 1)]
    for i in range(2, n + 1):
        children[int(data[i - 1])].append((i, int(data[n + i - 2])))
    d = [0] * (n + 1)

    def dfs(u):
        for v, w in children[u]:
            d[v] = d[u] ^ w
            dfs(v)

    dfs(1)
    values = d[1:]
    best = 0
    for bit in range(29, -1, -1):
        prefixes = {x >> bit for x in values}
        want = (best << 1) | 1
        best = want if any(want ^ p in prefixes for p in prefixes) else best << 1
    print(best)


main()
