# Reference: the first n/2 - (number of '(') question marks become '(', the rest ')';
# then one pass checks the prefix balances.
import sys


def fill(s):
    n = len(s)
    need = n // 2 - s.count("(")
    if n % 2 or need < 0 or need > s.count("?"):
        return "-1"
    parts = s.split("?")
    marks = ["("] * need + [")"] * (len(parts) - 1 - need)
    filled = parts[0] + "".join(m + p for m, p in zip(marks, parts[1:]))
    balance = 0
    for c in filled:
        balance += 1 if c == "(" else -1
        if balance < 0:
            return "-1"
    return filled


data = sys.stdin.read().split()
print("\n".join(fill(s) for s in data[1:1 + int(data[0])]))
