// Wrong: counts the pairs with gap strictly less than mid, which shifts the binary search
// by one whenever the answer is attained exactly.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long k;
    std::scanf("%d %lld", &n, &k);
    std::vector<long long> a(n);
    for (auto& x : a) std::scanf("%lld", &x);
    std::sort(a.begin(), a.end());
    long long lo = 0, hi = a[n - 1] - a[0];
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2, pairs = 0;
        for (int i = 0, j = 0; i < n; i++) {
            while (a[i] - a[j] >= mid && j < i) j++;
            pairs += i - j;
        }
        if (pairs >= k) hi = mid;
        else lo = mid + 1;
    }
    std::printf("%lld\n", lo);
}
