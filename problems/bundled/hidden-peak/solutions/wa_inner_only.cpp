// Wrong: assumes the peak is never at either end and searches only [2, n - 1].
#include <cstdio>
#include <cstdlib>

long long ask(long long i) {
    std::printf("? %lld\n", i);
    std::fflush(stdout);
    long long value;
    if (std::scanf("%lld", &value) != 1 || value == -1) std::exit(0);
    return value;
}

int main() {
    long long n;
    std::scanf("%lld", &n);
    long long lo = n > 2 ? 2 : 1, hi = n > 2 ? n - 1 : n;
    while (lo < hi) {
        long long mid = (lo + hi) / 2;
        if (ask(mid) < ask(mid + 1)) lo = mid + 1;
        else hi = mid;
    }
    std::printf("! %lld\n", lo);
    std::fflush(stdout);
}
