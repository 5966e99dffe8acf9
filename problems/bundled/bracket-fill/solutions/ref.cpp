// Reference: exactly n/2 characters must be '('. Turning the first '?'s into '(' keeps every
// prefix balance as high as possible, so if this fill is not regular, nothing is.
#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int t;
    std::cin >> t;
    while (t--) {
        std::string s;
        std::cin >> s;
        long long n = s.size(), opens = 0, marks = 0;
        for (char c : s) opens += c == '(', marks += c == '?';
        long long need = n / 2 - opens;
        bool ok = n % 2 == 0 && need >= 0 && need <= marks;
        long long balance = 0;
        for (size_t i = 0; ok && i < s.size(); i++) {
            if (s[i] == '?') s[i] = need-- > 0 ? '(' : ')';
            balance += s[i] == '(' ? 1 : -1;
            ok = balance >= 0;
        }
        std::cout << (ok ? s : "-1") << '\n';
    }
    return 0;
}
