// Wrong: uses the row and column counts of the initial grid for every toggle, forgetting
// that earlier toggles changed them.
#include <cstdio>
#include <vector>

int main() {
    std::FILE* in = std::fopen("input.txt", "r");
    std::FILE* out = std::fopen("output.txt", "w");
    int n, m, q;
    std::fscanf(in, "%d %d %d", &n, &m, &q);
    std::vector<int> row(n, 0), col(m, 0);
    long long total = 0;
    std::vector<char> buffer(m + 1);
    for (int i = 0; i < n; i++) {
        std::fscanf(in, "%s", buffer.data());
        for (int j = 0; j < m; j++)
            if (buffer[j] == '1') row[i]++, col[j]++, total++;
    }
    while (q--) {
        char kind;
        int k;
        std::fscanf(in, " %c %d", &kind, &k);
        k--;
        if (kind == 'R') {
            total += m - 2 * row[k];
            row[k] = m - row[k];
        } else {
            total += n - 2 * col[k];
            col[k] = n - col[k];
        }
        std::fprintf(out, "%lld\n", total);
    }
    std::fclose(out);
}
