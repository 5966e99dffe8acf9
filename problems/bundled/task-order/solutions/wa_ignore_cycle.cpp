// Wrong: Kahn's algorithm, but prints whatever it ordered even when a cycle left tasks out.
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
    for (int v = 1; v <= n; v++)
        if (indegree[v] == 0) order.push_back(v);
    for (size_t head = 0; head < order.size(); head++)
        for (int v : after[order[head]])
            if (--indegree[v] == 0) order.push_back(v);
    for (size_t i = 0; i < order.size(); i++) std::printf("%d ", order[i]);
    std::printf("\n");
}
