// Wrong: adds without reducing and takes the remainder only at the end; the path counts
// overflow 64 bits on large open grids.
#include <cstdio>
#include <vector>

int main() {
    int n, m;
    std::scanf("%d %d", &n, &m);
    std::vector<unsigned long long> dp(m, 0);
    std::vector<char> line(m + 1);
    for (int i = 0; i < n; i++) {
        std::scanf("%s", line.data());
        for (int j = 0; j < m; j++) {
            if (line[j] == '#') dp[j] = 0;
            else if (i == 0 && j == 0) dp[j] = 1;
            else dp[j] += j > 0 ? dp[j - 1] : 0;
        }
    }
    std::printf("%llu\n", dp[m - 1] % 1000000007ULL);
}
