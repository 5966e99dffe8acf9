// Idleness: correct binary search, but the queries stay in stdout's buffer because the
// program never flushes. Both sides wait for each other until the time limit.
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
            long long mid = lo + (hi - lo + 1) / 2;
            std::printf("? %lld\n", mid);
            char reply[8];
            if (std::scanf("%7s", reply) != 1 || std::strcmp(reply, "-1") == 0) return 0;
            if (std::strcmp(reply, ">=") == 0) lo = mid;
            else hi = mid - 1;
        }
        std::printf("! %lld\n", lo);
    }
    return 0;
}
