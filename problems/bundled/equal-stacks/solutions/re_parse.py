# Runtime error: assumes n and the heights share one line, so max() gets an empty list.
t = int(input())
for _ in range(t):
    n, *heights = map(int, input().split())
    print(n * max(heights) - sum(heights))
