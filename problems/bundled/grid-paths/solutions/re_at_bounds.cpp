// Runtime error: reads the cell above with .at(i - 1) even in the first row, which throws
// std::out_of_range and aborts the program.
#include <iostream>
#include <string>
#include <vector>

int main() {
    const long long MOD = 1000000007;
    int n, m;
    std::cin >> n >> m;
    std::vector<std::string> grid(n);
    for (auto& row : grid) std::cin >> row;
    std::vector<std::vector<long long>> dp(n, std::vector<long long>(m, 0));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            if (grid[i][j] == '#') continue;
            if (i == 0 && j == 0) {
                dp[i][j] = 1;
                continue;
            }
            long long up = dp.at(i - 1).at(j);
            long long left = j > 0 ? dp[i][j - 1] : 0;
            dp[i][j] = (up + left) % MOD;
        }
    std::cout << dp[n - 1][m - 1] << "\n";
}
