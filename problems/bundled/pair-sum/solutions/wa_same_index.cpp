// Wrong: inserts the value before looking up its complement, so an element can pair
// with itself when 2 * a[i] == s.
#include <cstdio>
#include <unordered_map>

int main() {
    int n;
    long long s;
    std::scanf("%d %lld", &n, &s);
    std::unordered_map<long long, int> seen;
    for (int j = 1; j <= n; j++) {
        long long x;
        std::scanf("%lld", &x);
        seen.emplace(x, j);
        auto it = seen.find(s - x);
        if (it != seen.end()) {
            std::printf("%d %d\n", it->second, j);
            return 0;
        }
    }
    std::puts("-1");
}
