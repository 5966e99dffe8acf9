// Too slow: walks the trip one kilometre at a time, adding 1/v hours per kilometre.
// The total distance reaches billions of kilometres, and every step goes through memory
// (volatile), as a naive accumulation in a struct would.
#include <cstdio>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        volatile double distance = 0, hours = 0;
        for (int i = 0; i < n; i++) {
            long long d, v;
            std::scanf("%lld %lld", &d, &v);
            for (long long km = 0; km < d; km++) {
                distance += 1;
                hours += 1.0 / v;
            }
        }
        std::printf("%.9f\n", distance / hours);
    }
    return 0;
}
