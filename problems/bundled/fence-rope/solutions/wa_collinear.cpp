// Wrong: treats a degenerate hull (all posts on one line) as needing no rope at all.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

struct P {
    long long x, y;
};

long long cross(const P& o, const P& a, const P& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

int main() {
    int n;
    std::scanf("%d", &n);
    std::vector<P> p(n);
    for (auto& q : p) std::scanf("%lld %lld", &q.x, &q.y);
    std::sort(p.begin(), p.end(), [](const P& a, const P& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    std::vector<P> hull(2 * n + 1);
    int k = 0;
    for (int i = 0; i < n; i++) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
        hull[k++] = p[i];
    }
    for (int i = n - 2, low = k + 1; i >= 0; i--) {
        while (k >= low && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
        hull[k++] = p[i];
    }
    if (k - 1 < 3) {
        std::puts("0");
        return 0;
    }
    double length = 0;
    for (int i = 1; i < k; i++) length += std::hypot(double(hull[i].x - hull[i - 1].x), double(hull[i].y - hull[i - 1].y));
    std::printf("%.9f\n", length);
}
