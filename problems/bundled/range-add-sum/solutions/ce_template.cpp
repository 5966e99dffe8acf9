// Compile error: a template argument that is not a type.
#include <cstdio>
#include <vector>

int main() {
    std::vector<5> tree;
    std::printf("%d\n", (int)tree.size());
}
