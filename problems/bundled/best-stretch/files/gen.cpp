// gen N MAXV SEED MODE: N values, MODE pos (1..MAXV), neg (-MAXV..-1) or rand (-MAXV..MAXV).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "lcg.h"

int main(int argc, char** argv) {
    if (argc != 5) { fprintf(stderr, "usage: gen N MAXV SEED MODE\n"); return 1; }
    long long n = atoll(argv[1]), maxv = atoll(argv[2]);
    Lcg rng(strtoull(argv[3], nullptr, 10));
    const char* mode = argv[4];
    long long lo = -maxv, hi = maxv;
    if (!strcmp(mode, "pos")) lo = 1;
    else if (!strcmp(mode, "neg")) hi = -1;
    else if (strcmp(mode, "rand")) { fprintf(stderr, "unknown mode %s\n", mode); return 1; }
    printf("%lld\n", n);
    for (long long i = 0; i < n; i++) printf(i ? " %lld" : "%lld", rng.range(lo, hi));
    printf("\n");
    return 0;
}
