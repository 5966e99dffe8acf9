// Wrong: for n = 1 prints the shift anyway (seat 1), instead of -1.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        for (int i = 1; i <= n; i++) std::printf("%d%c", i % n + 1, i == n ? '\n' : ' ');
    }
    return 0;
}
