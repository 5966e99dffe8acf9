// Wrong: prints only three decimals, too coarse for small average speeds.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        double distance = 0, hours = 0;
        for (int i = 0; i < n; i++) {
            double d, v;
            std::scanf("%lf %lf", &d, &v);
            distance += d;
            hours += d / v;
        }
        std::printf("%.3f\n", distance / hours);
    }
    return 0;
}
