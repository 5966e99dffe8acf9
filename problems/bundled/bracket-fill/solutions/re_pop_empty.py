# Runtime error: validates the fill with a stack and pops without checking that it is
# non-empty, so a fill starting with ')' raises IndexError.
t = int(input())
for _ in range(t):
    s = input().strip()
    need = len(s) // 2 - s.count("(")
    if len(s) % 2 or need < 0 or need > s.count("?"):
        print(-1)
        continue
    out, stack = [], []
    for c in s:
        if c == "?":
            c = "(" if need > 0 else ")"
            need -= c == "("
        if c == "(":
            stack.append(c)
        else:
            stack.pop()
        out.append(c)
    print("".join(out))
