// Reference: Andrew's monotone chain with exact 64-bit cross products; the rope is the
// perimeter of the convex hull (twice the segment length when all posts are collinear).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

struct P {
    long long x, y;
    bool operator<(const P& o) const { return x < o.x || (x == o.x && y < o.y); }
    bool operator==(const P& o) const { return x == o.x && y == o.y; }
};

long long cross(const P& o, const P& a, const P& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

int main() {
    int n;
    std::scanf("%d", &n);
    std::vector<P> p(n);
    for (auto& q : p) std::scanf("%lld %lld", &q.x, &q.y);
    std::sort(p.begin(), p.end());
    p.erase(std::unique(p.begin(), p.end()), p.end());
    n = p.size();
    if (n < 2) {
        std::puts("0.000000000");
        return 0;
    }
    std::vector<P> hull(2 * n);
    int k = 0;
    for (int i = 0; i < n; i++) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
        hull[k++] = p[i];
    }
    for (int i = n - 2, low = k + 1; i >= 0; i--) {
        while (k >= low && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
        hull[k++] = p[i];
    }
    double length = 0;  // hull[0..k-1] with hull[k-1] == hull[0]
    for (int i = 1; i < k; i++)
        length += std::hypot((double)(hull[i].x - hull[i - 1].x), (double)(hull[i].y - hull[i - 1].y));
    std::printf("%.9f\n", length);
    return 0;
}
