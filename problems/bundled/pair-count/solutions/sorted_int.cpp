// The main solution's method with a 32-bit count: fast enough, but it overflows.
#include <cstdio>
#include <vector>
#include <algorithm>

int main() {
    int n;
    long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 1;
    std::vector<long long> a(n);
    for (auto& x : a) scanf("%lld", &x);
    std::sort(a.begin(), a.end());
    int count = 0;
    int i = 0, j = n - 1;
    while (i < j) {
        long long s = a[i] + a[j];
        if (s < k) i++;
        else if (s > k) j--;
        else if (a[i] == a[j]) {
            int m = j - i + 1;
            count += m * (m - 1) / 2;
            break;
        } else {
            int left = 1, right = 1;
            while (i + 1 < j && a[i + 1] == a[i]) i++, left++;
            while (j - 1 > i && a[j - 1] == a[j]) j--, right++;
            count += left * right;
            i++, j--;
        }
    }
    printf("%d\n", count);
}
