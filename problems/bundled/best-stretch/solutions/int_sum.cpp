// Kadane in 32-bit ints: overflows once a stretch sums past 2^31.
#include <cstdio>
#include <algorithm>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int best = -2000000000, run = 0;
    for (int i = 0; i < n; i++) {
        int a;
        scanf("%d", &a);
        run = std::max(run + a, a);
        best = std::max(best, run);
    }
    printf("%d\n", best);
}
