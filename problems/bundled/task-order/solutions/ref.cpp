// Reference: Kahn's algorithm. If some task never becomes ready, there is a cycle.
#include <cstdio>
#include <vector>

int main() {
    int n, m;
    std::scanf("%d %d", &n, &m);
    std::vector<std::vector<int>> after(n + 1);
    std::vector<int> indegree(n + 1, 0);
    for (int i = 0; i < m; i++) {
        int u, v;
        std::scanf("%d %d", &u, &v);
        after[u].push_back(v);
        indegree[v]++;
    }
    std::vector<int> order;
    order.reserve(n);
    for (int v = 1; v <= n; v++)
        if (indegree[v] == 0) order.push_back(v);
    for (size_t head = 0; head < order.size(); head++)
        for (int v : after[order[head]])
            if (--indegree[v] == 0) order.push_back(v);
    if ((int)order.size() != n) {
        std::puts("-1");
        return 0;
    }
    for (int i = 0; i < n; i++) std::printf("%d%c", order[i], i + 1 == n ? '\n' : ' ');
    return 0;
}
