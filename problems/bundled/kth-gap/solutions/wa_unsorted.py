# Wrong: runs the two-pointer count on the array in input order, forgetting to sort it.
import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
lo, hi = 0, max(a) - min(a)
while lo < hi:
    mid = (lo + hi) // 2
    pairs, j = 0, 0
    for i in range(n):
        while a[i] - a[j] > mid:
            j += 1
        pairs += i - j
    if pairs >= k:
        hi = mid
    else:
        lo = mid + 1
print(lo)
