// Checker for bracket-fill in the testlib protocol, without testlib.h:
//   checker <input> <output> <answer>
// Exit codes: 0 OK, 1 WA, 2 PE, 3 FAIL. Message on stderr. Any regular bracket sequence
// that matches the pattern is accepted; -1 only when the jury has no answer either.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void quit(int code, const std::string& message) {
    std::fprintf(stderr, "%s\n", message.c_str());
    std::exit(code);
}

// Next token, at most `limit` characters (a longer token is reported, not stored).
bool token(std::FILE* f, std::string& out, size_t limit) {
    out.clear();
    int c = std::fgetc(f);
    while (c != EOF && std::isspace(c)) c = std::fgetc(f);
    if (c == EOF) return false;
    while (c != EOF && !std::isspace(c)) {
        if (out.size() > limit) return true;  // caller sees a too-long token
        out.push_back(static_cast<char>(c));
        c = std::fgetc(f);
    }
    return true;
}

// Empty string when `filled` is a regular bracket sequence matching `pattern`.
std::string problem_with(const std::string& pattern, const std::string& filled) {
    if (filled.size() != pattern.size())
        return "length " + std::to_string(filled.size()) + ", expected " + std::to_string(pattern.size());
    long long balance = 0;
    for (size_t i = 0; i < filled.size(); i++) {
        char c = filled[i];
        if (c != '(' && c != ')') return "character " + std::to_string(i + 1) + " is not a bracket";
        if (pattern[i] != '?' && pattern[i] != c)
            return "character " + std::to_string(i + 1) + " must stay '" + pattern[i] + "'";
        balance += c == '(' ? 1 : -1;
        if (balance < 0) return "prefix of length " + std::to_string(i + 1) + " closes more than it opens";
    }
    if (balance != 0) return "the sequence leaves " + std::to_string(balance) + " brackets open";
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) quit(3, "usage: checker input output answer");
    std::FILE* input = std::fopen(argv[1], "r");
    std::FILE* output = std::fopen(argv[2], "r");
    std::FILE* answer = std::fopen(argv[3], "r");
    if (!input || !answer) quit(3, "cannot open the input or answer file");
    if (!output) quit(2, "no output");
    std::string word;
    if (!token(input, word, 10)) quit(3, "bad input");
    int t = std::atoi(word.c_str());
    for (int test = 1; test <= t; test++) {
        std::string pattern, jury, mine;
        std::string where = "test case " + std::to_string(test) + ": ";
        if (!token(input, pattern, 1 << 20)) quit(3, where + "bad input");
        if (!token(answer, jury, 1 << 20)) quit(3, where + "the answer file ended early");
        bool jury_found = jury != "-1";
        if (jury_found) {
            std::string why = problem_with(pattern, jury);
            if (!why.empty()) quit(3, where + "the jury's answer is invalid: " + why);
        }
        if (!token(output, mine, pattern.size() + 1)) quit(2, where + "unexpected end of output");
        if (mine == "-1") {
            if (jury_found) quit(1, where + "answered -1, but " + jury.substr(0, 30) + " fits");
            continue;
        }
        std::string why = problem_with(pattern, mine);
        if (!why.empty()) quit(1, where + why);
        if (!jury_found) quit(3, where + "the contestant filled a pattern the jury called impossible");
    }
    std::string extra;
    if (token(output, extra, 20)) quit(2, "extra output after the last test case");
    std::fprintf(stderr, "%d test cases ok\n", t);
    return 0;
}
