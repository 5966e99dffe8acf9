// Reference: Fenwick tree over compressed values; for each element count the earlier
// elements that are strictly greater. O(n log n), answer in 64 bits.
#include <algorithm>
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
        std::vector<long long> values(a);
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        int k = values.size();
        std::vector<int> tree(k + 1, 0);
        long long count = 0;
        for (int i = 0; i < n; i++) {
            int r = std::lower_bound(values.begin(), values.end(), a[i]) - values.begin() + 1;
            int not_greater = 0;
            for (int p = r; p > 0; p -= p & -p) not_greater += tree[p];
            count += i - not_greater;
            for (int p = r; p <= k; p += p & -p) tree[p]++;
        }
        std::printf("%lld\n", count);
    }
    return 0;
}
