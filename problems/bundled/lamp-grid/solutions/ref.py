# Reference with bitsets: rows and columns are Python ints, plus a mask of flipped rows and
# one of flipped columns. The lit lamps of row r are popcount(row_r ^ column_mask), complemented
# when row r itself is flipped; a toggle changes the total by (length - 2 * lit).


def main():
    with open("input.txt") as f:
        data = f.read().split()
    n, m, q = int(data[0]), int(data[1]), int(data[2])
    rows = [int(s[::-1], 2) for s in data[3:3 + n]]
    cols = [0] * m
    for i, s in enumerate(data[3:3 + n]):
        for j, c in enumerate(s):
            if c == "1":
                cols[j] |= 1 << i
    row_flip = col_flip = 0
    total = sum(r.bit_count() for r in rows)
    out = []
    pos = 3 + n
    for _ in range(q):
        kind, k = data[pos], int(data[pos + 1]) - 1
        pos += 2
        if kind == "R":
            lit = (rows[k] ^ col_flip).bit_count()
            if row_flip >> k & 1:
                lit = m - lit
            total += m - 2 * lit
            row_flip ^= 1 << k
        else:
            lit = (cols[k] ^ row_flip).bit_count()
            if col_flip >> k & 1:
                lit = n - lit
            total += n - 2 * lit
            col_flip ^= 1 << k
        out.append(total)
    with open("output.txt", "w") as f:
        f.write("\n".join(map(str, out)) + "\n")


main()
