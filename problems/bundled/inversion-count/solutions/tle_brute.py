# Too slow: compares every pair, O(n^2) for n = 15000.
import sys

data = sys.stdin.read().split()
t = int(data[0])
pos = 1
for _ in range(t):
    n = int(data[pos])
    a = list(map(int, data[pos + 1:pos + 1 + n]))
    pos += 1 + n
    count = 0
    for i in range(n):
        x = a[i]
        for j in range(i + 1, n):
            if x > a[j]:
                count += 1
    print(count)
