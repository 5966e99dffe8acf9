# Wrong: only checks that the counts can be balanced, not the order, so ")(" is printed
# as if it were regular.
t = int(input())
for _ in range(t):
    s = input().strip()
    need = len(s) // 2 - s.count("(")
    if len(s) % 2 or need < 0 or need > s.count("?"):
        print(-1)
        continue
    out = []
    for c in s:
        if c == "?":
            c = "(" if need > 0 else ")"
            need -= c == "("
        out.append(c)
    print("".join(out))
