#include <cstdio>
int main(){long long n; if(scanf("%lld",&n)!=1) return 0; long long lo=1,hi=n;
while(lo<hi){long long m=(lo+hi)/2; printf("? %lld\n",m); fflush(stdout); char r[3]; if(scanf("%2s",r)!=1) return 0;
 if(r[0]=='='){lo=hi=m;break;} if(r[0]=='<') lo=m+1; else hi=m-1;}
printf("! %lld\n",lo); fflush(stdout);}
