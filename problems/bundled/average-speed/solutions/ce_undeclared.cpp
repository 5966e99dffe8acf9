// Compile error: `hours` is used outside the scope it was declared in.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        double distance = 0;
        for (int i = 0; i < n; i++) {
            double d, v, hours = 0;
            std::scanf("%lf %lf", &d, &v);
            distance += d;
            hours += d / v;
        }
        std::printf("%.9f\n", distance / hours);
    }
}
