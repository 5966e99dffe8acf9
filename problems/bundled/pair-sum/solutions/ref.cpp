// Reference: sort indices by value, then two pointers from both ends. O(n log n).
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

int main() {
    int n;
    long long s;
    std::scanf("%d %lld", &n, &s);
    std::vector<long long> a(n);
    for (auto& x : a) std::scanf("%lld", &x);
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int i, int j) { return a[i] < a[j]; });
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        long long sum = a[order[lo]] + a[order[hi]];
        if (sum == s) {
            std::printf("%d %d\n", order[lo] + 1, order[hi] + 1);
            return 0;
        }
        if (sum < s) lo++;
        else hi--;
    }
    std::puts("-1");
    return 0;
}
