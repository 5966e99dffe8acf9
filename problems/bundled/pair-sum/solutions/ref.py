# Reference: one pass with a dictionary from value to the first index holding it.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, s = int(data[0]), int(data[1])
    seen = {}
    for j in range(n):
        x = int(data[2 + j])
        i = seen.get(s - x)
        if i is not None:
            print(i + 1, j + 1)
            return
        seen.setdefault(x, j)
    print(-1)


main()
