// Compile error: compares a std::string with a char and calls a missing member.
#include <iostream>
#include <string>

int main() {
    int t;
    std::cin >> t;
    while (t--) {
        std::string s;
        std::cin >> s;
        if (s == '?') s.fill('(');
        std::cout << s << '\n';
    }
}
