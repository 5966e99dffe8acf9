// Wrong: the sum and the product are kept in 32-bit ints and overflow on big stacks.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n, sum = 0, best = 0;
        std::scanf("%d", &n);
        for (int i = 0; i < n; i++) {
            int a;
            std::scanf("%d", &a);
            sum += a;
            if (a > best) best = a;
        }
        std::printf("%d\n", best * n - sum);
    }
    return 0;
}
