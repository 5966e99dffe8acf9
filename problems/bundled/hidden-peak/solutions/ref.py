# Reference: binary search on the slope between a[mid] and a[mid + 1].
import sys

known = {}


def ask(i):
    if i not in known:
        print("?", i, flush=True)
        known[i] = int(sys.stdin.readline())
    return known[i]


def main():
    n = int(sys.stdin.readline())
    lo, hi = 1, n
    while lo < hi:
        mid = (lo + hi) // 2
        if ask(mid) < ask(mid + 1):
            lo = mid + 1
        else:
            hi = mid
    print("!", lo, flush=True)


main()
