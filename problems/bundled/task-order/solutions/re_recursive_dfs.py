# Runtime error: recursive depth-first search without raising the recursion limit; a chain
# of thousands of tasks raises RecursionError.
import sys


def main():
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    after = [[] for _ in range(n + 1)]
    for i in range(m):
        after[int(data[2 + 2 * i])].append(int(data[3 + 2 * i]))
    colour = [0] * (n + 1)
    order = []

    def visit(u):
        colour[u] = 1
        for v in after[u]:
            if colour[v] == 1:
                return False
            if colour[v] == 0 and not visit(v):
                return False
        colour[u] = 2
        order.append(u)
        return True

    for v in range(1, n + 1):
        if colour[v] == 0 and not visit(v):
            print(-1)
            return
    print(" ".join(map(str, reversed(order))))


main()
