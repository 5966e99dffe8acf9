// Reference: keep the grid and the per-row / per-column counts of lit lamps. Toggling row r
// changes the total by m - 2 * row[r] and moves each column count by one: O(n + m) per step.
#include <cstdio>
#include <vector>
#include <string>

int main() {
    std::FILE* in = std::fopen("input.txt", "r");
    std::FILE* out = std::fopen("output.txt", "w");
    int n, m, q;
    std::fscanf(in, "%d %d %d", &n, &m, &q);
    std::vector<std::string> grid(n);
    std::vector<int> row(n, 0), col(m, 0);
    long long total = 0;
    std::vector<char> buffer(m + 1);
    for (int i = 0; i < n; i++) {
        std::fscanf(in, "%s", buffer.data());
        grid[i] = buffer.data();
        for (int j = 0; j < m; j++)
            if (grid[i][j] == '1') row[i]++, col[j]++, total++;
    }
    for (int step = 0; step < q; step++) {
        char kind;
        int k;
        std::fscanf(in, " %c %d", &kind, &k);
        k--;
        if (kind == 'R') {
            total += m - 2 * row[k];
            row[k] = m - row[k];
            for (int j = 0; j < m; j++) {
                col[j] += grid[k][j] == '1' ? -1 : 1;
                grid[k][j] ^= 1;  // '0' <-> '1'
            }
        } else {
            total += n - 2 * col[k];
            col[k] = n - col[k];
            for (int i = 0; i < n; i++) {
                row[i] += grid[i][k] == '1' ? -1 : 1;
                grid[i][k] ^= 1;
            }
        }
        std::fprintf(out, "%lld\n", total);
    }
    std::fclose(out);
    return 0;
}
