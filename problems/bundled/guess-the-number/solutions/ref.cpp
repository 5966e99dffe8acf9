// Reference: binary search on the predicate x >= y; at most ceil(log2 n) <= 30 queries.
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main() {
    int games;
    if (std::scanf("%d", &games) != 1) return 0;
    while (games--) {
        long long n;
        if (std::scanf("%lld", &n) != 1 || n < 0) return 0;
        long long lo = 1, hi = n;  // x is in [lo, hi]
        while (lo < hi) {
            long long mid = lo + (hi - lo + 1) / 2;
            std::printf("? %lld\n", mid);
            std::fflush(stdout);
            char reply[8];
            if (std::scanf("%7s", reply) != 1 || std::strcmp(reply, "-1") == 0) return 0;
            if (std::strcmp(reply, ">=") == 0) lo = mid;
            else hi = mid - 1;
        }
        std::printf("! %lld\n", lo);
        std::fflush(stdout);
    }
    return 0;
}
