// Memory-hungry: records every added coin in a vector before counting them.
#include <cstdio>
#include <vector>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        std::vector<long long> a(n);
        long long best = 0;
        for (auto& x : a) {
            std::scanf("%lld", &x);
            if (x > best) best = x;
        }
        std::vector<int> coins;
        for (int i = 0; i < n; i++)
            for (long long h = a[i]; h < best; h++) coins.push_back(i);
        std::printf("%zu\n", coins.size());
    }
    return 0;
}
