# Wrong: only all-digit tokens are counted, so negative numbers are skipped.
import sys

n, *tokens = sys.stdin.read().split()
print(sum(int(t) for t in tokens if t.isdigit()))
