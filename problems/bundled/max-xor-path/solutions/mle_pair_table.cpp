// Memory-hungry: tabulates the path xor of every pair (u, v) in an n x n table of 64-bit
// values before taking the maximum.
#include <cstdio>
#include <vector>

int main() {
    int n;
    std::scanf("%d", &n);
    std::vector<int> parent(n + 1, 0);
    std::vector<long long> d(n + 1, 0);
    for (int i = 2; i <= n; i++) std::scanf("%d", &parent[i]);
    for (int i = 2; i <= n; i++) {
        long long w;
        std::scanf("%lld", &w);
        d[i] = d[parent[i]] ^ w;
    }
    std::vector<std::vector<long long>> table(n + 1, std::vector<long long>(n + 1));
    long long best = 0;
    for (int u = 1; u <= n; u++)
        for (int v = 1; v <= n; v++) {
            table[u][v] = d[u] ^ d[v];
            if (table[u][v] > best) best = table[u][v];
        }
    std::printf("%lld\n", best);
}
