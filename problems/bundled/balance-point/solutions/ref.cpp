// Reference: one pass with a running prefix sum; 2 * prefix == total means balanced.
#include <cstdio>
#include <vector>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        std::vector<long long> a(n);
        long long total = 0;
        for (auto& x : a) {
            std::scanf("%lld", &x);
            total += x;
        }
        long long prefix = 0;
        bool ok = false;
        for (int k = 0; k + 1 < n && !ok; k++) {
            prefix += a[k];
            ok = 2 * prefix == total;
        }
        std::puts(ok ? "YES" : "NO");
    }
    return 0;
}
