# Memory-hungry: keeps a copy of every prefix before comparing sums (quadratic memory).
t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    prefixes = [a[:k] for k in range(1, n)]
    total = sum(a)
    print("YES" if any(2 * sum(p) == total for p in prefixes) else "NO")
