// Wrong: measures each segment's time in whole hours (integer division), then divides.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        long long distance = 0, hours = 0;
        for (int i = 0; i < n; i++) {
            long long d, v;
            std::scanf("%lld %lld", &d, &v);
            distance += d;
            hours += d / v;
        }
        std::printf("%.9f\n", hours ? (double)distance / hours : 0.0);
    }
    return 0;
}
