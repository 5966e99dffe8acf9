// Interactor for guess-the-number, in testlib's convention without testlib.h:
//   interactor <input-file> <output-file> [<answer-file>]
// It reads the hidden numbers from the input file, talks to the solution through
// stdin/stdout, writes the hidden numbers to the output file when every game is won, and
// exits with 0 OK, 1 WA, 2 PE (malformed output), 3 FAIL (bad test data). Messages go to
// stderr. Every read is checked, so a solution that exits, closes the pipe or prints
// garbage ends the interaction instead of hanging it.
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

const int MAX_QUERIES = 30;

[[noreturn]] void finish(int code, const std::string& message) {
    std::fprintf(stderr, "%s\n", message.c_str());
    std::exit(code);
}

// Next whitespace-separated token from the solution; false at end of file. Tokens are
// capped so that a solution printing an endless line cannot exhaust memory.
bool read_token(std::string& token) {
    token.clear();
    int c = std::getchar();
    while (c != EOF && std::isspace(c)) c = std::getchar();
    if (c == EOF) return false;
    while (c != EOF && !std::isspace(c)) {
        if (token.size() >= 40) finish(2, "token too long: " + token.substr(0, 20) + "...");
        token.push_back(static_cast<char>(c));
        c = std::getchar();
    }
    return true;
}

bool parse_int(const std::string& token, long long& value) {
    size_t i = token[0] == '-' ? 1 : 0;
    if (i == token.size() || token.size() - i > 18) return false;
    value = 0;
    for (; i < token.size(); i++) {
        if (!std::isdigit(static_cast<unsigned char>(token[i]))) return false;
        value = value * 10 + (token[i] - '0');
    }
    if (token[0] == '-') value = -value;
    return true;
}

long long read_int(const char* what) {
    std::string token;
    if (!read_token(token)) finish(1, std::string("unexpected end of output, expected ") + what);
    long long value;
    if (!parse_int(token, value)) finish(2, std::string("expected ") + what + ", found '" + token + "'");
    return value;
}

void send(const std::string& line) {
    std::string text = line + "\n";
    if (std::fputs(text.c_str(), stdout) == EOF || std::fflush(stdout) != 0)
        finish(1, "the solution stopped reading its input");
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe must become an error, not a crash
    if (argc < 3) finish(3, "usage: interactor input-file output-file");
    std::FILE* input = std::fopen(argv[1], "r");
    if (!input) finish(3, std::string("cannot open the input file ") + argv[1]);
    int games;
    if (std::fscanf(input, "%d", &games) != 1 || games < 1) finish(3, "bad test: number of games");
    std::vector<long long> hidden;
    send(std::to_string(games));
    for (int game = 1; game <= games; game++) {
        long long n, x;
        if (std::fscanf(input, "%lld %lld", &n, &x) != 2 || x < 1 || x > n)
            finish(3, "bad test: game " + std::to_string(game));
        hidden.push_back(x);
        send(std::to_string(n));
        int queries = 0;
        while (true) {
            std::string token;
            if (!read_token(token))
                finish(1, "game " + std::to_string(game) + ": unexpected end of output");
            if (token == "?") {
                long long y = read_int("a query");
                if (y < 1 || y > n) {
                    send("-1");
                    finish(1, "game " + std::to_string(game) + ": query " + std::to_string(y) + " is out of range");
                }
                if (++queries > MAX_QUERIES) {
                    send("-1");
                    finish(1, "game " + std::to_string(game) + ": more than 30 queries");
                }
                send(x < y ? "<" : ">=");
            } else if (token == "!") {
                long long z = read_int("the answer");
                if (z != x) {
                    send("-1");
                    finish(1, "game " + std::to_string(game) + ": answered " + std::to_string(z) +
                                  ", the number was " + std::to_string(x));
                }
                break;
            } else {
                finish(2, "game " + std::to_string(game) + ": expected '?' or '!', found '" + token + "'");
            }
        }
    }
    std::FILE* output = std::fopen(argv[2], "w");
    if (!output) finish(3, std::string("cannot write the output file ") + argv[2]);
    for (long long x : hidden) std::fprintf(output, "%lld\n", x);
    std::fclose(output);
    std::fprintf(stderr, "%d games won\n", games);
    return 0;
}
