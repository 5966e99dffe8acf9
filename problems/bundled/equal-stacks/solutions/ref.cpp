// Reference: the final height is the tallest stack, so the answer is n*max - sum (64-bit).
#include <cstdio>
#include <algorithm>

int main() {
    int t;
    if (std::scanf("%d", &t) != 1) return 0;
    while (t--) {
        int n;
        std::scanf("%d", &n);
        long long sum = 0, best = 0;
        for (int i = 0; i < n; i++) {
            long long a;
            std::scanf("%lld", &a);
            sum += a;
            best = std::max(best, a);
        }
        std::printf("%lld\n", best * n - sum);
    }
    return 0;
}
