# Too slow: binary search on the answer, but each step compares all pairs: O(n^2 log V).
import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
a = sorted(map(int, data[2:2 + n]))
lo, hi = 0, a[-1] - a[0]
while lo < hi:
    mid = (lo + hi) // 2
    pairs = 0
    for i in range(n):
        for j in range(i + 1, n):
            if a[j] - a[i] <= mid:
                pairs += 1
    if pairs >= k:
        hi = mid
    else:
        lo = mid + 1
print(lo)
