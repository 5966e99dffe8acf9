// Interactor for hidden-peak, in testlib's convention without testlib.h:
//   interactor <input-file> <output-file> [<answer-file>]
// Exit codes: 0 OK, 1 WA, 2 PE, 3 FAIL; messages on stderr. On success the index of the
// peak is written to the output file. Every read from the solution is checked, so a
// solution that exits, closes its pipe or prints garbage cannot hang the interaction.
//
// The test input is either the array itself:   list n a_1 ... a_n
// or a compact description of a long one:      gen n p seed
// (strictly increasing up to index p, strictly decreasing after it, steps drawn from a
// 64-bit linear congruential generator), so large tests stay small on disk.
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

const int MAX_QUERIES = 40;

[[noreturn]] void finish(int code, const std::string& message) {
    std::fprintf(stderr, "%s\n", message.c_str());
    std::exit(code);
}

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

long long read_int(const char* what) {
    std::string token;
    if (!read_token(token)) finish(1, std::string("unexpected end of output, expected ") + what);
    size_t i = token[0] == '-' ? 1 : 0;
    if (i == token.size() || token.size() - i > 18) finish(2, std::string("expected ") + what + ", found '" + token + "'");
    long long value = 0;
    for (; i < token.size(); i++) {
        if (!std::isdigit(static_cast<unsigned char>(token[i])))
            finish(2, std::string("expected ") + what + ", found '" + token + "'");
        value = value * 10 + (token[i] - '0');
    }
    return token[0] == '-' ? -value : value;
}

void send(const std::string& line) {
    std::string text = line + "\n";
    if (std::fputs(text.c_str(), stdout) == EOF || std::fflush(stdout) != 0)
        finish(1, "the solution stopped reading its input");
}

std::vector<long long> load(std::FILE* input) {
    char kind[8];
    long long n;
    if (std::fscanf(input, "%7s %lld", kind, &n) != 2 || n < 1 || n > 100000) finish(3, "bad test header");
    std::vector<long long> a(n + 1);
    if (std::strcmp(kind, "list") == 0) {
        for (long long i = 1; i <= n; i++)
            if (std::fscanf(input, "%lld", &a[i]) != 1) finish(3, "bad test array");
    } else if (std::strcmp(kind, "gen") == 0) {
        long long p;
        unsigned long long state;
        if (std::fscanf(input, "%lld %llu", &p, &state) != 2 || p < 1 || p > n) finish(3, "bad gen line");
        auto next = [&state]() {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return static_cast<long long>(state >> 33);
        };
        a[1] = 400000000 + next() % 1000000;  // stays within [10^8, 7.1 * 10^8] for n <= 10^5
        for (long long i = 2; i <= n; i++) {
            long long step = 1 + next() % 3000;
            a[i] = i <= p ? a[i - 1] + step : a[i - 1] - step;
        }
    } else {
        finish(3, "unknown test kind");
    }
    for (long long i = 1; i <= n; i++)
        if (a[i] < 1 || a[i] > 1000000000) finish(3, "bad test: value out of range");
    bool falling = false;  // the array must rise strictly, then fall strictly
    for (long long i = 1; i < n; i++) {
        if (a[i] == a[i + 1]) finish(3, "bad test: equal neighbours");
        if (a[i] > a[i + 1]) falling = true;
        else if (falling) finish(3, "bad test: the array rises again after its peak");
    }
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    if (argc < 3) finish(3, "usage: interactor input-file output-file");
    std::FILE* input = std::fopen(argv[1], "r");
    if (!input) finish(3, std::string("cannot open the input file ") + argv[1]);
    std::vector<long long> a = load(input);
    long long n = static_cast<long long>(a.size()) - 1, peak = 1;
    for (long long i = 2; i <= n; i++)
        if (a[i] > a[peak]) peak = i;
    send(std::to_string(n));
    int queries = 0;
    while (true) {
        std::string token;
        if (!read_token(token)) finish(1, "unexpected end of output");
        if (token == "?") {
            long long i = read_int("an index");
            if (i < 1 || i > n) {
                send("-1");
                finish(1, "query " + std::to_string(i) + " is out of range");
            }
            if (++queries > MAX_QUERIES) {
                send("-1");
                finish(1, "more than 40 queries");
            }
            send(std::to_string(a[i]));
        } else if (token == "!") {
            long long i = read_int("the answer");
            if (i != peak) finish(1, "answered " + std::to_string(i) + ", the peak is at " + std::to_string(peak));
            break;
        } else {
            finish(2, "expected '?' or '!', found '" + token + "'");
        }
    }
    std::FILE* output = std::fopen(argv[2], "w");
    if (!output) finish(3, std::string("cannot write the output file ") + argv[2]);
    std::fprintf(output, "%lld\n", peak);
    std::fclose(output);
    std::fprintf(stderr, "found the peak %lld with %d queries\n", peak, queries);
    return 0;
}
