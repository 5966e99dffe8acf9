# Runtime error: reads standard input, which is empty in a file-I/O problem (EOFError).
n, q = map(int, input().split())
a = [0] * (n + 2)
for _ in range(q):
    op = list(map(int, input().split()))
    if op[0] == 1:
        for i in range(op[1], op[2] + 1):
            a[i] += op[3]
    else:
        print(sum(a[op[1]:op[2] + 1]))
