# Wrong: also counts equal pairs (a[i] >= a[j]) as inversions.
import sys
from bisect import bisect_right, insort

data = sys.stdin.read().split()
t = int(data[0])
pos = 1
for _ in range(t):
    n = int(data[pos])
    a = list(map(int, data[pos + 1:pos + 1 + n]))
    pos += 1 + n
    seen, count = [], 0
    for i, x in enumerate(a):
        count += i - bisect_right(seen, x - 1)  # earlier elements >= x
        insort(seen, x)
    print(count)
