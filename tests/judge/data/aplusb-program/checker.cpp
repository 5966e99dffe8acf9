// A checker in the testlib protocol without testlib.h: `checker input output answer`.
// Exit 0 OK, 1 WA, 2 PE, 3 FAIL; the message goes to stderr.
#include <cstdio>

int main(int argc, char** argv) {
    if (argc < 4) { std::fprintf(stderr, "FAIL usage: checker input output answer\n"); return 3; }
    std::FILE* answer = std::fopen(argv[3], "r");
    if (!answer) { std::fprintf(stderr, "FAIL answer file not found\n"); return 3; }
    long long expected = 0;
    if (std::fscanf(answer, "%lld", &expected) != 1) {
        std::fprintf(stderr, "FAIL answer is not a number\n");
        return 3;
    }
    std::FILE* output = std::fopen(argv[2], "r");
    long long found = 0;
    if (!output || std::fscanf(output, "%lld", &found) != 1) {
        std::fprintf(stderr, "wrong output format expected an integer\n");
        return 2;
    }
    if (found != expected) {
        std::fprintf(stderr, "wrong answer expected %lld, found %lld\n", expected, found);
        return 1;
    }
    std::fprintf(stderr, "ok %lld\n", found);
    return 0;
}
