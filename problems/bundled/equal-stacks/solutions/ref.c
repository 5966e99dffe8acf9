/* Reference in C17: answer = n * max - sum. */
#include <stdio.h>

int main(void) {
    int t;
    if (scanf("%d", &t) != 1) return 0;
    while (t--) {
        int n;
        long long sum = 0, best = 0, a;
        scanf("%d", &n);
        for (int i = 0; i < n; i++) {
            scanf("%lld", &a);
            sum += a;
            if (a > best) best = a;
        }
        printf("%lld\n", best * n - sum);
    }
    return 0;
}
