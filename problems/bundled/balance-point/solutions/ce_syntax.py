# Compile error: a missing colon after the for statement.
t = int(input())
for _ in range(t)
    n = int(input())
    print("NO")
