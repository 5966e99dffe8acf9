#include <cstdio>
#include <cstdlib>
int main(){long long n; scanf("%lld",&n); abort();}
