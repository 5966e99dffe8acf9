// Validator in testlib's convention without testlib: the input on stdin, exit 0 when valid,
// otherwise exit 3 with the reason on stderr. Format: "n\n" then n integers separated by
// single spaces and "\n"; 1 <= n <= 200000, |a_i| <= 10^9; nothing after.
#include <cstdio>
#include <cstdlib>

static int line = 1;

[[noreturn]] static void fail(const char* what) {
    fprintf(stderr, "line %d: %s\n", line, what);
    exit(3);
}

static long long read_int(long long lo, long long hi, const char* name) {
    int c = getchar();
    bool negative = false;
    if (c == '-') { negative = true; c = getchar(); }
    if (c < '0' || c > '9') fail("expected an integer");
    long long value = 0;
    int digits = 0;
    for (; c >= '0' && c <= '9'; c = getchar()) {
        if (++digits > 11) fail("integer too long");
        value = value * 10 + (c - '0');
    }
    ungetc(c, stdin);
    if (negative) value = -value;
    if (value < lo || value > hi) {
        fprintf(stderr, "line %d: %s = %lld is out of [%lld, %lld]\n", line, name, value, lo, hi);
        exit(3);
    }
    return value;
}

static void expect(int want, const char* what) {
    if (getchar() != want) fail(what);
    if (want == '\n') line++;
}

int main() {
    long long n = read_int(1, 200000, "n");
    expect('\n', "expected end of line after n");
    for (long long i = 0; i < n; i++) {
        read_int(-1000000000, 1000000000, "a_i");
        expect(i + 1 < n ? ' ' : '\n', i + 1 < n ? "expected one space" : "expected end of line");
    }
    if (getchar() != EOF) fail("expected end of file");
    return 0;
}
