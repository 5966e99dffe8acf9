// Compile error: a function returning int is called with a missing argument.
#include <cstdio>

int ask(long long i, int flush) {
    std::printf("? %lld\n", i);
    if (flush) std::fflush(stdout);
    int v;
    std::scanf("%d", &v);
    return v;
}

int main() {
    long long n;
    std::scanf("%lld", &n);
    std::printf("! %d\n", ask(n));
}
