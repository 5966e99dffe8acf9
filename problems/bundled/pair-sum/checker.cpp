// Checker for pair-sum in the testlib protocol, without testlib.h:
//   checker <input> <output> <answer>
// Exit codes: 0 OK, 1 WA, 2 PE, 3 FAIL (the jury's files are wrong). Message on stderr.
// Any valid pair is accepted; -1 is accepted only when the jury found no pair either.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

[[noreturn]] void quit(int code, const std::string& message) {
    std::fprintf(stderr, "%s\n", message.c_str());
    std::exit(code);
}

bool token(std::FILE* f, std::string& out) {
    out.clear();
    int c = std::fgetc(f);
    while (c != EOF && std::isspace(c)) c = std::fgetc(f);
    if (c == EOF) return false;
    while (c != EOF && !std::isspace(c)) {
        if (out.size() < 64) out.push_back(static_cast<char>(c));
        c = std::fgetc(f);
    }
    return true;
}

bool to_int(const std::string& s, long long& value) {
    size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size() || s.size() - i > 18) return false;
    value = 0;
    for (; i < s.size(); i++) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        value = value * 10 + (s[i] - '0');
    }
    if (s[0] == '-') value = -value;
    return true;
}

// Reads a pair "i j" or "-1" from f. Returns false for -1. `fail` is the exit code used
// when the file is malformed: PE for the contestant, FAIL for the jury.
bool read_pair(std::FILE* f, int fail, const char* who, long long& i, long long& j) {
    std::string s;
    if (!token(f, s)) quit(fail, std::string(who) + ": unexpected end of file");
    if (!to_int(s, i)) quit(fail, std::string(who) + ": expected an integer, found '" + s + "'");
    if (i == -1) return false;
    if (!token(f, s)) quit(fail, std::string(who) + ": unexpected end of file after " + std::to_string(i));
    if (!to_int(s, j)) quit(fail, std::string(who) + ": expected an integer, found '" + s + "'");
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) quit(3, "usage: checker input output answer");
    std::FILE* input = std::fopen(argv[1], "r");
    std::FILE* output = std::fopen(argv[2], "r");
    std::FILE* answer = std::fopen(argv[3], "r");
    if (!input || !answer) quit(3, "cannot open the input or answer file");
    if (!output) quit(2, "no output");
    long long n, s;
    if (std::fscanf(input, "%lld %lld", &n, &s) != 2) quit(3, "bad input");
    std::vector<long long> a(n + 1);
    for (long long k = 1; k <= n; k++)
        if (std::fscanf(input, "%lld", &a[k]) != 1) quit(3, "bad input array");

    auto valid = [&](long long i, long long j, std::string& why) {
        if (i < 1 || i > n || j < 1 || j > n) {
            why = "index out of range: " + std::to_string(i) + " " + std::to_string(j);
            return false;
        }
        if (i == j) {
            why = "the two indices must differ, both are " + std::to_string(i);
            return false;
        }
        if (a[i] + a[j] != s) {
            why = "a[" + std::to_string(i) + "] + a[" + std::to_string(j) + "] = " + std::to_string(a[i] + a[j]) +
                  ", not " + std::to_string(s);
            return false;
        }
        return true;
    };

    long long ji = 0, jj = 0, pi = 0, pj = 0;
    std::string why;
    bool jury_found = read_pair(answer, 3, "jury answer", ji, jj);
    if (jury_found && !valid(ji, jj, why)) quit(3, "the jury's pair is invalid: " + why);
    bool found = read_pair(output, 2, "contestant", pi, pj);
    std::string extra;
    if (token(output, extra)) quit(2, "extra output after the answer: '" + extra + "'");
    if (!found) {
        if (jury_found) quit(1, "answered -1, but a pair exists, e.g. " + std::to_string(ji) + " " + std::to_string(jj));
        std::fprintf(stderr, "no pair, as expected\n");
        return 0;
    }
    if (!valid(pi, pj, why)) quit(1, why);
    if (!jury_found) quit(3, "the contestant found a pair the jury missed: " + std::to_string(pi) + " " + std::to_string(pj));
    std::fprintf(stderr, "pair %lld %lld is valid\n", pi, pj);
    return 0;
}
