// Wrong: a classic off-by-one in the binary search; the interval can skip the hidden
// number, and the final guess is then wrong.
#include <cstdio>
#include <cstring>

int main() {
    int games;
    if (std::scanf("%d", &games) != 1) return 0;
    while (games--) {
        long long n;
        if (std::scanf("%lld", &n) != 1 || n < 0) return 0;
        long long lo = 1, hi = n;
        while (lo < hi) {
            long long mid = (lo + hi) / 2;
            std::printf("? %lld\n", mid);
            std::fflush(stdout);
            char reply[8];
            if (std::scanf("%7s", reply) != 1 || std::strcmp(reply, "-1") == 0) return 0;
            if (std::strcmp(reply, ">=") == 0) lo = mid + 1;
            else hi = mid - 1;
        }
        std::printf("! %lld\n", lo);
        std::fflush(stdout);
    }
    return 0;
}
