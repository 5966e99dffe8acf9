n = int(input())
lo, hi = 1, n
while lo < hi:
    m = (lo + hi) // 2
    print("?", m, flush=True)
    reply = input().strip()
    if reply == "=":
        lo = hi = m
        break
    if reply == "<":
        lo = m + 1
    else:
        hi = m - 1
print("!", lo, flush=True)
