// Reference: the xor of the path u-v equals d[u] ^ d[v], where d is the xor from the root.
// A binary trie over the d values finds, for each d[v], the partner maximising the xor.
#include <cstdio>
#include <vector>

int main() {
    int n;
    std::scanf("%d", &n);
    std::vector<int> parent(n + 1, 0);
    std::vector<long long> d(n + 1, 0);
    for (int i = 2; i <= n; i++) std::scanf("%d", &parent[i]);
    for (int i = 2; i <= n; i++) {
        long long w;
        std::scanf("%lld", &w);
        d[i] = d[parent[i]] ^ w;  // parent[i] < i, so it is already known
    }
    std::vector<int> child0(1, 0), child1(1, 0);
    auto insert = [&](long long v) {
        int node = 0;
        for (int bit = 29; bit >= 0; bit--) {
            std::vector<int>& next = (v >> bit & 1) ? child1 : child0;
            if (!next[node]) {
                next[node] = child0.size();
                child0.push_back(0);
                child1.push_back(0);
            }
            node = ((v >> bit & 1) ? child1 : child0)[node];
        }
    };
    long long best = 0;
    insert(d[1]);
    for (int v = 2; v <= n; v++) {
        int node = 0;
        long long value = 0;
        for (int bit = 29; bit >= 0; bit--) {
            bool want_one = !(d[v] >> bit & 1);
            int next = want_one ? child1[node] : child0[node];
            if (next) {
                value |= 1LL << bit;
                node = next;
            } else {
                node = want_one ? child0[node] : child1[node];
            }
        }
        if (value > best) best = value;
        insert(d[v]);
    }
    std::printf("%lld\n", best);
    return 0;
}
