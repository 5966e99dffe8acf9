// Runtime error: opens "lamps.in", which does not exist, and reads through the null FILE*.
#include <cstdio>

int main() {
    std::FILE* in = std::fopen("lamps.in", "r");
    int n, m, q;
    n = m = q = 0;
    std::fscanf(in, "%d %d %d", &n, &m, &q);
    std::FILE* out = std::fopen("output.txt", "w");
    std::fprintf(out, "%d\n", n * m + q);
    std::fclose(out);
}
