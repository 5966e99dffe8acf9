# Wrong: starts with one path in the top-left cell even when that cell is blocked.
MOD = 10**9 + 7
n, m = map(int, input().split())
grid = [input().strip() for _ in range(n)]
dp = [[0] * m for _ in range(n)]
dp[0][0] = 1
for i in range(n):
    for j in range(m):
        if (i or j) and grid[i][j] == ".":
            dp[i][j] = ((dp[i - 1][j] if i else 0) + (dp[i][j - 1] if j else 0)) % MOD
print(dp[n - 1][m - 1])
