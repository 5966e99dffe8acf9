// Wrong: the sum is kept in a 32-bit int, which overflows past 2^31 - 1.
#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int sum = 0;
    for (int i = 0; i < n; i++) {
        int x;
        if (scanf("%d", &x) != 1) return 1;
        sum += x;
    }
    printf("%d\n", sum);
}
