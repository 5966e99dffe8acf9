// Reference: everybody moves one seat to the right, the last student takes seat 1.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        if (n == 1) {
            std::puts("-1");
            continue;
        }
        for (int i = 1; i <= n; i++) std::printf("%d%c", i % n + 1, i == n ? '\n' : ' ');
    }
    return 0;
}
