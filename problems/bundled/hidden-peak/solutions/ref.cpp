// Reference: binary search on the slope. If a[mid] < a[mid + 1] the peak is to the right of
// mid, otherwise at mid or to its left: two queries per halving, 34 for n = 10^5.
#include <cstdio>
#include <cstdlib>
#include <map>

std::map<long long, long long> known;

long long ask(long long i) {
    auto it = known.find(i);
    if (it != known.end()) return it->second;
    std::printf("? %lld\n", i);
    std::fflush(stdout);
    long long value;
    if (std::scanf("%lld", &value) != 1) std::exit(0);
    return known[i] = value;
}

int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 0;
    long long lo = 1, hi = n;
    while (lo < hi) {
        long long mid = (lo + hi) / 2;
        if (ask(mid) < ask(mid + 1)) lo = mid + 1;
        else hi = mid;
    }
    std::printf("! %lld\n", lo);
    std::fflush(stdout);
    return 0;
}
