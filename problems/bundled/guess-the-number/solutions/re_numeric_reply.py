# Runtime error: expects the jury to answer with a number, so int(">=") raises ValueError.
import sys

games = int(sys.stdin.readline())
for _ in range(games):
    n = int(sys.stdin.readline())
    lo, hi = 1, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        print("?", mid, flush=True)
        if int(sys.stdin.readline()) >= 0:
            lo = mid
        else:
            hi = mid - 1
    print("!", lo, flush=True)
