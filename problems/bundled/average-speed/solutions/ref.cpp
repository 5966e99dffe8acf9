// Reference: total distance divided by total time, in long double.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        long double distance = 0, hours = 0;
        for (int i = 0; i < n; i++) {
            long long d, v;
            std::scanf("%lld %lld", &d, &v);
            distance += d;
            hours += (long double)d / v;
        }
        std::printf("%.9Lf\n", distance / hours);
    }
    return 0;
}
