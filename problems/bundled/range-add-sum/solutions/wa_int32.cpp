// Wrong: the Fenwick trees hold 32-bit ints, and the sums overflow.
#include <cstdio>
#include <vector>

int n;
std::vector<int> b1, b2;

void add(std::vector<int>& t, int i, int v) {
    for (; i <= n; i += i & -i) t[i] += v;
}

int prefix(int i) {
    int s1 = 0, s2 = 0;
    for (int j = i; j > 0; j -= j & -j) s1 += b1[j], s2 += b2[j];
    return s1 * i - s2;
}

int main() {
    std::FILE* in = std::fopen("input.txt", "r");
    std::FILE* out = std::fopen("output.txt", "w");
    int q;
    std::fscanf(in, "%d %d", &n, &q);
    b1.assign(n + 2, 0);
    b2.assign(n + 2, 0);
    while (q--) {
        int type, l, r, x;
        std::fscanf(in, "%d %d %d", &type, &l, &r);
        if (type == 1) {
            std::fscanf(in, "%d", &x);
            add(b1, l, x);
            add(b1, r + 1, -x);
            add(b2, l, x * (l - 1));
            add(b2, r + 1, -x * r);
        } else {
            std::fprintf(out, "%d\n", prefix(r) - prefix(l - 1));
        }
    }
    std::fclose(out);
}
