// cnt[x] * cnt[k - x] over every value, halved: right for x != k - x, but an element equal
// to k / 2 is paired with itself (cnt * cnt instead of cnt * (cnt - 1)).
#include <cstdio>
#include <map>

int main() {
    int n;
    long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 1;
    std::map<long long, long long> cnt;
    for (int i = 0; i < n; i++) {
        long long a;
        scanf("%lld", &a);
        cnt[a]++;
    }
    long long twice = 0;
    for (auto& [x, c] : cnt) {
        auto it = cnt.find(k - x);
        if (it != cnt.end()) twice += c * it->second;
    }
    printf("%lld\n", twice / 2);
}
