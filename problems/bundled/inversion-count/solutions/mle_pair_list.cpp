// Memory-hungry: collects every inverted pair before counting them; a reversed array of
// 15000 elements has over 10^8 of them.
#include <cstdio>
#include <utility>
#include <vector>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        int n;
        std::scanf("%d", &n);
        std::vector<long long> a(n);
        for (auto& x : a) std::scanf("%lld", &x);
        std::vector<std::pair<int, int>> pairs;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (a[i] > a[j]) pairs.emplace_back(i, j);
        std::printf("%zu\n", pairs.size());
    }
}
