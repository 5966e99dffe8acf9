# Compile error: inconsistent indentation (IndentationError is a SyntaxError).
t = int(input())
for _ in range(t):
    n = int(input())
      a = list(map(int, input().split()))
    print(0)
