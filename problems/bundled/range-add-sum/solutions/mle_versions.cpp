// Memory-hungry: keeps a full copy of the array for every version (one per addition),
// 1.6 MB per copy for n = 2 * 10^5.
#include <cstdio>
#include <vector>

int main() {
    std::FILE* in = std::fopen("input.txt", "r");
    std::FILE* out = std::fopen("output.txt", "w");
    int n, q;
    std::fscanf(in, "%d %d", &n, &q);
    std::vector<std::vector<long long>> versions(1, std::vector<long long>(n + 1, 0));
    while (q--) {
        int type, l, r;
        std::fscanf(in, "%d %d %d", &type, &l, &r);
        if (type == 1) {
            long long x;
            std::fscanf(in, "%lld", &x);
            std::vector<long long> next = versions.back();
            for (int i = l; i <= r; i++) next[i] += x;
            versions.push_back(std::move(next));
        } else {
            long long s = 0;
            for (int i = l; i <= r; i++) s += versions.back()[i];
            std::fprintf(out, "%lld\n", s);
        }
    }
    std::fclose(out);
}
