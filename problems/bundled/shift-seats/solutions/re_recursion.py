# Runtime error: builds the shift recursively and hits Python's recursion limit for
# large n.
def build(i, n):
    if i > n:
        return []
    return [i % n + 1] + build(i + 1, n)


t = int(input())
for _ in range(t):
    n = int(input())
    print(-1 if n == 1 else " ".join(map(str, build(1, n))))
