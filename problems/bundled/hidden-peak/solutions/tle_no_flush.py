# Idleness: a correct search, but print() without flush=True leaves the query in the
# buffer of a pipe, so the jury never sees it and both sides wait.
import sys

n = int(sys.stdin.readline())
lo, hi = 1, n
while lo < hi:
    mid = (lo + hi) // 2
    print("?", mid)
    left = int(sys.stdin.readline())
    print("?", mid + 1)
    right = int(sys.stdin.readline())
    if left < right:
        lo = mid + 1
    else:
        hi = mid
print("!", lo)
