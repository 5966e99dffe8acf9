# Reference: one row of dp values, updated left to right for each grid row.
import sys

MOD = 10**9 + 7


def main():
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    dp = [0] * m
    for i in range(n):
        line = data[2 + i]
        left = 0
        for j in range(m):
            if line[j] == "#":
                left = 0
            elif i == 0 and j == 0:
                left = 1
            else:
                left = (dp[j] + left) % MOD
            dp[j] = left
    print(dp[-1])


main()
