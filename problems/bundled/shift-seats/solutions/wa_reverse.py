# Wrong: reversing the row leaves the middle student in place when n is odd.
t = int(input())
for _ in range(t):
    n = int(input())
    print(-1 if n == 1 else " ".join(map(str, range(n, 0, -1))))
