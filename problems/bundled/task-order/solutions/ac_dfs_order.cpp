// Also correct: reverse post-order of an iterative depth-first search, with colours to
// detect cycles. It usually prints a different order than the jury's.
#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

int main() {
    int n, m;
    std::scanf("%d %d", &n, &m);
    std::vector<std::vector<int>> after(n + 1);
    for (int i = 0; i < m; i++) {
        int u, v;
        std::scanf("%d %d", &u, &v);
        after[u].push_back(v);
    }
    std::vector<int> colour(n + 1, 0), order;  // 0 new, 1 on the stack, 2 done
    for (int root = n; root >= 1; root--) {
        if (colour[root]) continue;
        std::vector<std::pair<int, size_t>> stack{{root, 0}};
        colour[root] = 1;
        while (!stack.empty()) {
            auto& [u, k] = stack.back();
            if (k < after[u].size()) {
                int v = after[u][k++];
                if (colour[v] == 1) {
                    std::puts("-1");
                    return 0;
                }
                if (colour[v] == 0) {
                    colour[v] = 1;
                    stack.push_back({v, 0});
                }
            } else {
                colour[u] = 2;
                order.push_back(u);
                stack.pop_back();
            }
        }
    }
    std::reverse(order.begin(), order.end());
    for (int i = 0; i < n; i++) std::printf("%d%c", order[i], i + 1 == n ? '\n' : ' ');
}
