#include <cstdio>
int main(){for(;;) puts("garbage");}
