// Memory-hungry: stores every pair with its sum, then searches the list: O(n^2) memory.
#include <cstdio>
#include <vector>

struct Pair {
    long long sum;
    int i, j;
};

int main() {
    int n;
    long long s;
    std::scanf("%d %lld", &n, &s);
    std::vector<long long> a(n);
    for (auto& x : a) std::scanf("%lld", &x);
    std::vector<Pair> pairs;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) pairs.push_back({a[i] + a[j], i + 1, j + 1});
    for (const Pair& p : pairs)
        if (p.sum == s) {
            std::printf("%d %d\n", p.i, p.j);
            return 0;
        }
    std::puts("-1");
}
