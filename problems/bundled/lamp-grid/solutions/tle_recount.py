# Too slow: toggles the lamps, then recounts the whole grid cell by cell after every
# operation: O(q * n * m).
with open("input.txt") as f:
    data = f.read().split()
n, m, q = int(data[0]), int(data[1]), int(data[2])
grid = [[int(c) for c in s] for s in data[3:3 + n]]
pos = 3 + n
out = []
for _ in range(q):
    kind, k = data[pos], int(data[pos + 1]) - 1
    pos += 2
    if kind == "R":
        for j in range(m):
            grid[k][j] ^= 1
    else:
        for i in range(n):
            grid[i][k] ^= 1
    count = 0
    for row in grid:
        for x in row:
            count += x
    out.append(count)
with open("output.txt", "w") as f:
    f.write("\n".join(map(str, out)) + "\n")
