// Kadane that starts from an empty stretch (best = 0): wrong when every value is negative,
// e.g. n = 1 with a negative value, where the answer is that value.
#include <cstdio>
#include <algorithm>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long best = 0, run = 0;
    for (int i = 0; i < n; i++) {
        long long a;
        scanf("%lld", &a);
        run = std::max(run + a, 0LL);
        best = std::max(best, run);
    }
    printf("%lld\n", best);
}
