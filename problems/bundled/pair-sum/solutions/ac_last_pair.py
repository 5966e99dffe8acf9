# Also correct, but reports the pair found scanning from the right, usually a different
# pair than the jury's. The checker accepts any valid pair.
import sys

data = sys.stdin.read().split()
n, s = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
seen = {}
for j in range(n - 1, -1, -1):
    if s - a[j] in seen:
        print(seen[s - a[j]] + 1, j + 1)
        break
    seen.setdefault(a[j], j)
else:
    print(-1)
