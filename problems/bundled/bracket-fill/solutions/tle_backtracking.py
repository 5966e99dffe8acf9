# Too slow: tries both brackets at every '?', pruning only negative balances. A long run of
# '?' that can never be completed makes the search exponential.
import sys

sys.setrecursionlimit(10000)


def search(s, i, balance, out):
    if balance < 0:
        return False
    if i == len(s):
        return balance == 0
    for c in ("(", ")") if s[i] == "?" else (s[i],):
        out.append(c)
        if search(s, i + 1, balance + (1 if c == "(" else -1), out):
            return True
        out.pop()
    return False


data = sys.stdin.read().split()
for s in data[1:1 + int(data[0])]:
    out = []
    print("".join(out) if search(s, 0, 0, out) else -1)
