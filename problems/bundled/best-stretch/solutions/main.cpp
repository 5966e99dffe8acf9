// Kadane's algorithm in 64-bit integers: O(n).
#include <cstdio>
#include <algorithm>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long best = -(1LL << 62), run = 0;
    for (int i = 0; i < n; i++) {
        long long a;
        scanf("%lld", &a);
        run = std::max(run + a, a);
        best = std::max(best, run);
    }
    printf("%lld\n", best);
}
