# Compile error: Python 2 print statement.
n = int(input())
parents = input().split()
weights = list(map(int, input().split()))
print max(weights)
