# Wrong: a correct algorithm that prints to standard output instead of output.txt, so the
# judge finds no output file.
with open("input.txt") as f:
    data = f.read().split()
n, m, q = int(data[0]), int(data[1]), int(data[2])
grid = [[int(c) for c in s] for s in data[3:3 + n]]
total = sum(map(sum, grid))
pos = 3 + n
for _ in range(q):
    kind, k = data[pos], int(data[pos + 1]) - 1
    pos += 2
    if kind == "R":
        total += m - 2 * sum(grid[k])
        grid[k] = [1 - x for x in grid[k]]
    else:
        lit = sum(row[k] for row in grid)
        total += n - 2 * lit
        for row in grid:
            row[k] ^= 1
    print(total)
