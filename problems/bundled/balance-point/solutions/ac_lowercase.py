# Correct, answering in lower case: the yes/no checker ignores letter case.
t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    total, prefix, ok = sum(a), 0, False
    for x in a[:-1]:
        prefix += x
        if 2 * prefix == total:
            ok = True
            break
    print("yes" if ok else "no")
