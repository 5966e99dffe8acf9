// A generator that does not compile: the error case "broken generator".
#include <cstdio>

int main(int argc, char** argv) {
    printf("%d\n", undeclared_size);
}
