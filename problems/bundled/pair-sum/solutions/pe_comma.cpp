// Presentation error (counted as WA): prints the pair as "i,j" instead of "i j".
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
        auto it = seen.find(s - x);
        if (it != seen.end()) {
            std::printf("%d,%d\n", it->second, j);
            return 0;
        }
        seen.emplace(x, j);
    }
    std::puts("-1");
}
