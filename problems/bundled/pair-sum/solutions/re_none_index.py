# Runtime error: assumes a pair always exists; when none does, it adds 1 to None.
n, s = map(int, input().split())
a = list(map(int, input().split()))
seen = {}
pair = None
for j, x in enumerate(a):
    if s - x in seen:
        pair = (seen[s - x], j)
        break
    seen.setdefault(x, j)
print(pair[0] + 1, pair[1] + 1)
