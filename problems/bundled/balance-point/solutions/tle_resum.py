# Too slow: recomputes both sums from scratch for every split point, O(n^2).
t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    ok = any(sum(a[:k]) == sum(a[k:]) for k in range(1, n))
    print("YES" if ok else "NO")
