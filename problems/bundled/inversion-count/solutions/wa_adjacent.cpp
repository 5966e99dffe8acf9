// Wrong: counts only neighbouring pairs that are out of order.
#include <cstdio>
#include <vector>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        std::vector<long long> a(n);
        for (auto& x : a) std::scanf("%lld", &x);
        long long count = 0;
        for (int i = 0; i + 1 < n; i++) count += a[i] > a[i + 1];
        std::printf("%lld\n", count);
    }
}
