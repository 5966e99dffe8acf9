// Reference: dp over the grid row by row; dp[j] = ways to reach the current cell of column j.
#include <cstdio>
#include <vector>

int main() {
    const long long MOD = 1000000007;
    int n, m;
    std::scanf("%d %d", &n, &m);
    std::vector<long long> dp(m, 0);
    std::vector<char> line(m + 1);
    for (int i = 0; i < n; i++) {
        std::scanf("%s", line.data());
        for (int j = 0; j < m; j++) {
            if (line[j] == '#') dp[j] = 0;
            else if (i == 0 && j == 0) dp[j] = 1;
            else dp[j] = (dp[j] + (j > 0 ? dp[j - 1] : 0)) % MOD;
        }
    }
    std::printf("%lld\n", dp[m - 1]);
    return 0;
}
