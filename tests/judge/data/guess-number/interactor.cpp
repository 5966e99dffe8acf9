// Guess-the-number interactor in the testlib convention, written without testlib.h:
//   interactor <input> <output> [<answer>]
// input: "n secret". The solution asks "? x" and hears "<", ">" or "=", then answers "! x"
// within 25 queries. Exit 0 OK, 1 WA, 3 FAIL; the message goes to stderr, a transcript to
// <output>.
#include <cstdio>
#include <cstring>

static FILE *transcript;

static int verdict(int code, const char *message, long long value) {
    std::fprintf(stderr, message, value);
    std::fprintf(stderr, "\n");
    if (transcript) std::fprintf(transcript, "%s\n", code == 0 ? "ok" : "wrong");
    return code;
}

int main(int argc, char **argv) {
    if (argc < 3) return verdict(3, "usage: interactor input output (%lld args)", argc);
    FILE *input = std::fopen(argv[1], "r");
    transcript = std::fopen(argv[2], "w");
    long long n, secret;
    if (!input || !transcript || std::fscanf(input, "%lld %lld", &n, &secret) != 2)
        return verdict(3, "cannot read the test (%lld)", 0);
    std::printf("%lld\n", n);
    std::fflush(stdout);
    for (int queries = 0;; ++queries) {
        char kind[4];
        long long x;
        if (std::scanf("%3s %lld", kind, &x) != 2)
            return verdict(1, "unexpected end of the solution's output after %lld queries", queries);
        if (std::strcmp(kind, "!") == 0) {
            if (x != secret) return verdict(1, "wrong guess %lld", x);
            return verdict(0, "guessed in %lld queries", queries);
        }
        if (std::strcmp(kind, "?") != 0) return verdict(1, "expected ? or !, query %lld", queries + 1);
        if (queries >= 25) return verdict(1, "more than 25 queries (%lld)", queries + 1);
        std::printf("%s\n", x < secret ? "<" : x > secret ? ">" : "=");
        std::fflush(stdout);
    }
}
