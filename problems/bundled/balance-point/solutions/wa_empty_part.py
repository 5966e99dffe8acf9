# Wrong: also allows an empty part (k = 0 or k = n), so every array with total 0 is YES.
t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    total, prefix, ok = sum(a), 0, 2 * 0 == sum(a)
    for x in a:
        prefix += x
        ok = ok or 2 * prefix == total
    print("YES" if ok else "NO")
