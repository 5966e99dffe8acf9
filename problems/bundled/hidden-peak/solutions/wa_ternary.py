# Wrong: ternary search with two fresh queries per step shrinks the range by only a third,
# which needs about 57 queries for n = 10^5; the jury stops it after 40.
import sys


def ask(i):
    print("?", i, flush=True)
    value = int(sys.stdin.readline())
    if value == -1:
        sys.exit(0)
    return value


n = int(sys.stdin.readline())
lo, hi = 1, n
while hi - lo > 2:
    m1 = lo + (hi - lo) // 3
    m2 = hi - (hi - lo) // 3
    if ask(m1) < ask(m2):
        lo = m1 + 1
    else:
        hi = m2 - 1
best = max(range(lo, hi + 1), key=ask) if hi > lo else lo
print("!", best, flush=True)
