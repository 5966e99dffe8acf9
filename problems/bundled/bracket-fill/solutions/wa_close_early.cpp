// Wrong: closes a bracket at every '?' where the balance is positive. Locally sensible,
// but it can run out of '(' later: for "??))" it answers -1 although "(())" works.
#include <iostream>
#include <string>

int main() {
    int t;
    std::cin >> t;
    while (t--) {
        std::string s;
        std::cin >> s;
        long long balance = 0;
        bool ok = true;
        for (char& c : s) {
            if (c == '?') c = balance > 0 ? ')' : '(';
            balance += c == '(' ? 1 : -1;
            if (balance < 0) ok = false;
        }
        std::cout << (ok && balance == 0 ? s : "-1") << '\n';
    }
}
