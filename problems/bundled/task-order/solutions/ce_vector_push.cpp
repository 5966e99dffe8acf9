// Compile error: push_back on a const vector.
#include <cstdio>
#include <vector>

int main() {
    int n, m;
    std::scanf("%d %d", &n, &m);
    const std::vector<int> order;
    for (int v = 1; v <= n; v++) order.push_back(v);
    std::printf("%d\n", (int)order.size());
}
