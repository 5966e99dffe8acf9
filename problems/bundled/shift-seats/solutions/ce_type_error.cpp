// Compile error: a std::string cannot be printed with %d, and it is assigned an int.
#include <cstdio>
#include <string>

int main() {
    int t;
    std::scanf("%d", &t);
    while (t--) {
        std::string n;
        n = 5 + "x";
        int m = n;
        std::printf("%d\n", m);
    }
}
