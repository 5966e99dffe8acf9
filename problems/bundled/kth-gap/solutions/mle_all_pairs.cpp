// Memory-hungry: writes down all n(n-1)/2 gaps and selects the k-th with nth_element;
// 5 * 10^7 gaps of 8 bytes for n = 10^4.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long k;
    std::scanf("%d %lld", &n, &k);
    std::vector<long long> a(n), gaps;
    for (auto& x : a) std::scanf("%lld", &x);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) gaps.push_back(a[i] > a[j] ? a[i] - a[j] : a[j] - a[i]);
    std::nth_element(gaps.begin(), gaps.begin() + (k - 1), gaps.end());
    std::printf("%lld\n", gaps[k - 1]);
}
