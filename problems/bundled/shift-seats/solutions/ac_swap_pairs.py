# Also correct, with different answers: swap neighbours in pairs and rotate the last
# three seats when n is odd. The checker accepts any valid reseating.
import sys


def reseat(n):
    if n == 1:
        return None
    p = list(range(1, n + 1))
    for i in range(0, n - 1, 2):
        p[i], p[i + 1] = p[i + 1], p[i]
    if n % 2 == 1:
        p[-3], p[-2], p[-1] = n - 1, n, n - 2
    return p


data = sys.stdin.read().split()
out = []
for n in map(int, data[1:1 + int(data[0])]):
    p = reseat(n)
    out.append("-1" if p is None else " ".join(map(str, p)))
print("\n".join(out))
