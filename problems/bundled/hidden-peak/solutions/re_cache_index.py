# Runtime error: caches answers in a 0-based list of size n but indexes it with 1-based
# positions, so asking about position n raises IndexError.
import sys

n = int(sys.stdin.readline())
cache = [None] * n


def ask(i):
    if cache[i] is None:
        print("?", i, flush=True)
        cache[i] = int(sys.stdin.readline())
    return cache[i]


lo, hi = 1, n
while lo < hi:
    mid = (lo + hi) // 2
    if ask(mid) < ask(mid + 1):
        lo = mid + 1
    else:
        hi = mid
print("!", lo, flush=True)
