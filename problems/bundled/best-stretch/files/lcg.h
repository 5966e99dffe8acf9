// splitmix64: a tiny deterministic generator, the same on every platform (unlike
// std::uniform_int_distribution, whose mapping is up to the standard library).
#pragma once
#include <cstdint>

struct Lcg {
    uint64_t state;
    explicit Lcg(uint64_t seed) : state(seed) {}
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    long long range(long long lo, long long hi) {  // inclusive
        return lo + (long long)(next() % (uint64_t)(hi - lo + 1));
    }
};
