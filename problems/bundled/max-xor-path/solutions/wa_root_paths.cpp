// Wrong: only considers paths that start at the root.
#include <cstdio>
#include <vector>

int main() {
    int n;
    std::scanf("%d", &n);
    std::vector<int> parent(n + 1, 0);
    std::vector<long long> d(n + 1, 0);
    for (int i = 2; i <= n; i++) std::scanf("%d", &parent[i]);
    long long best = 0;
    for (int i = 2; i <= n; i++) {
        long long w;
        std::scanf("%lld", &w);
        d[i] = d[parent[i]] ^ w;
        if (d[i] > best) best = d[i];
    }
    std::printf("%lld\n", best);
}
