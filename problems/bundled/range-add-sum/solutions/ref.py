# Reference: two Fenwick trees (range add, range sum), reading input.txt, writing output.txt.


def main():
    with open("input.txt") as f:
        data = f.read().split()
    n, q = int(data[0]), int(data[1])
    b1 = [0] * (n + 2)
    b2 = [0] * (n + 2)

    def add(tree, i, v):
        while i <= n:
            tree[i] += v
            i += i & -i

    def prefix(i):
        s1 = s2 = 0
        j = i
        while j > 0:
            s1 += b1[j]
            s2 += b2[j]
            j -= j & -j
        return s1 * i - s2

    out = []
    pos = 2
    for _ in range(q):
        if data[pos] == "1":
            l, r, x = int(data[pos + 1]), int(data[pos + 2]), int(data[pos + 3])
            pos += 4
            add(b1, l, x)
            add(b1, r + 1, -x)
            add(b2, l, x * (l - 1))
            add(b2, r + 1, -x * r)
        else:
            l, r = int(data[pos + 1]), int(data[pos + 2])
            pos += 3
            out.append(prefix(r) - prefix(l - 1))
    with open("output.txt", "w") as f:
        f.write("".join(f"{v}\n" for v in out))


main()
