// Every subarray's sum: correct, but O(n^2) - too slow for n = 80000.
#include <cstdio>
#include <vector>
#include <algorithm>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::vector<long long> a(n);
    for (auto& x : a) scanf("%lld", &x);
    long long best = a[0];
    for (int i = 0; i < n; i++) {
        long long sum = 0;
        for (int j = i; j < n; j++) {
            sum += a[j];
            best = std::max(best, sum);
        }
    }
    printf("%lld\n", best);
}
