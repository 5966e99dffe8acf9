# Runtime error: the two-pointer count advances j without checking that it stays inside the
# array, so a[j] raises IndexError once j reaches n.
import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
a = sorted(map(int, data[2:2 + n]))
lo, hi = 0, a[-1] - a[0]
while lo < hi:
    mid = (lo + hi) // 2
    pairs, j = 0, 0
    for i in range(n):
        while a[j] - a[i] <= mid:
            j += 1
        pairs += j - i - 1
    if pairs >= k:
        hi = mid
    else:
        lo = mid + 1
print(lo)
