// Too slow: counts the paths by plain recursion without memoisation, visiting every path
// one by one (C(58, 29) of them on an open 30 x 30 grid).
#include <cstdio>
#include <string>
#include <vector>
#include <iostream>

int n, m;
std::vector<std::string> grid;

long long paths(int i, int j) {
    if (i >= n || j >= m || grid[i][j] == '#') return 0;
    if (i == n - 1 && j == m - 1) return 1;
    return (paths(i + 1, j) + paths(i, j + 1)) % 1000000007;
}

int main() {
    std::cin >> n >> m;
    grid.resize(n);
    for (auto& row : grid) std::cin >> row;
    std::cout << paths(0, 0) << "\n";
}
