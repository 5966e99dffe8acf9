import sys

n, *values = map(int, sys.stdin.read().split())
assert len(values) == n, "expected n values"
print(sum(values))
