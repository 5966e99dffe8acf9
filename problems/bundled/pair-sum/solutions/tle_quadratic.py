# Too slow: checks every pair, O(n^2).
import sys

data = sys.stdin.read().split()
n, s = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
answer = "-1"
for i in range(n):
    for j in range(i + 1, n):
        if a[i] + a[j] == s:
            answer = f"{i + 1} {j + 1}"
            break
    if answer != "-1":
        break
print(answer)
