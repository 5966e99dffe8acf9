# Too slow: gives each student the smallest free seat other than their own by scanning
# from seat 1 every time and looking each seat up in the list of taken seats: cubic in n.
import sys


def reseat(n):
    if n == 1:
        return None
    taken = []
    p = [0] * (n + 1)
    for i in range(1, n + 1):
        c = 1
        while c <= n and (c in taken or c == i):
            c += 1
        if c > n:  # only seat i is left: swap with the previous student
            p[i], p[i - 1] = p[i - 1], i
        else:
            p[i] = c
            taken.append(c)
    return p[1:]


data = sys.stdin.read().split()
out = []
for n in map(int, data[1:1 + int(data[0])]):
    p = reseat(n)
    out.append("-1" if p is None else " ".join(map(str, p)))
print("\n".join(out))
