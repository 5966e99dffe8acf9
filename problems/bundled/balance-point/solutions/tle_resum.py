# Too slow: recomputes both sums from scratch, element by element, for every split point:
# O(n^2) steps of the interpreter.
t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    ok = False
    for k in range(1, n):
        left = right = 0
        for i in range(n):
            if i < k:
                left += a[i]
            else:
                right += a[i]
        if left == right:
            ok = True
            break
    print("YES" if ok else "NO")
