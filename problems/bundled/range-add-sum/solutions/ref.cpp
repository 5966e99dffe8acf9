// Reference: range add and range sum with two Fenwick trees:
// prefix(i) = B1(i) * i - B2(i), all in 64-bit integers.
#include <cstdio>
#include <vector>

struct Fenwick {
    int n;
    std::vector<long long> b1, b2;
    explicit Fenwick(int n) : n(n), b1(n + 2, 0), b2(n + 2, 0) {}
    static void add(std::vector<long long>& t, int n, int i, long long v) {
        for (; i <= n; i += i & -i) t[i] += v;
    }
    void range_add(int l, int r, long long x) {
        add(b1, n, l, x);
        add(b1, n, r + 1, -x);
        add(b2, n, l, x * (l - 1));
        add(b2, n, r + 1, -x * r);
    }
    long long prefix(int i) const {
        long long s1 = 0, s2 = 0;
        for (int j = i; j > 0; j -= j & -j) s1 += b1[j], s2 += b2[j];
        return s1 * i - s2;
    }
};

int main() {
    std::FILE* in = std::fopen("input.txt", "r");
    std::FILE* out = std::fopen("output.txt", "w");
    int n, q;
    std::fscanf(in, "%d %d", &n, &q);
    Fenwick tree(n);
    while (q--) {
        int type, l, r;
        std::fscanf(in, "%d %d %d", &type, &l, &r);
        if (type == 1) {
            long long x;
            std::fscanf(in, "%lld", &x);
            tree.range_add(l, r, x);
        } else {
            std::fprintf(out, "%lld\n", tree.prefix(r) - tree.prefix(l - 1));
        }
    }
    std::fclose(out);
    return 0;
}
