#include <cstdio>
int main(){long long n; scanf("%lld",&n); for(;;);}
