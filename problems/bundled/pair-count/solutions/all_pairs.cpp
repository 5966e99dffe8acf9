// Every pair: right answers, O(n^2) - too slow for n = 100000.
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 1;
    std::vector<long long> a(n);
    for (auto& x : a) scanf("%lld", &x);
    long long count = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            count += a[i] + a[j] == k;
    printf("%lld\n", count);
}
