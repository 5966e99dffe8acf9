// Compile error: calls a function that is never declared.
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long k;
    std::scanf("%d %lld", &n, &k);
    std::vector<long long> a(n);
    for (auto& x : a) std::scanf("%lld", &x);
    std::printf("%lld\n", kth_smallest_gap(a, k));
}
