# Reference: binary search on the gap; bisect counts the pairs within each candidate gap.
import sys
from bisect import bisect_right


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    a = sorted(map(int, data[2:2 + n]))
    lo, hi = 0, a[-1] - a[0]
    while lo < hi:
        mid = (lo + hi) // 2
        pairs = sum(bisect_right(a, x + mid) for x in a) - n * (n + 1) // 2
        if pairs >= k:
            hi = mid
        else:
            lo = mid + 1
    print(lo)


main()
