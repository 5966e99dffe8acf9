# Too slow: applies every addition element by element, O(n) per operation with n = 2 * 10^5.
with open("input.txt") as f:
    data = f.read().split()
n, q = int(data[0]), int(data[1])
a = [0] * (n + 1)
out = []
pos = 2
for _ in range(q):
    if data[pos] == "1":
        l, r, x = int(data[pos + 1]), int(data[pos + 2]), int(data[pos + 3])
        pos += 4
        for i in range(l, r + 1):
            a[i] += x
    else:
        l, r = int(data[pos + 1]), int(data[pos + 2])
        pos += 3
        out.append(sum(a[l:r + 1]))
with open("output.txt", "w") as f:
    f.write("".join(f"{v}\n" for v in out))
