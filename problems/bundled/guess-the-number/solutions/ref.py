# Reference: binary search, flushing after every line.
import sys


def main():
    games = int(sys.stdin.readline())
    for _ in range(games):
        n = int(sys.stdin.readline())
        if n < 0:
            return
        lo, hi = 1, n
        while lo < hi:
            mid = (lo + hi + 1) // 2
            print("?", mid, flush=True)
            reply = sys.stdin.readline().strip()
            if reply == "-1" or not reply:
                return
            if reply == ">=":
                lo = mid
            else:
                hi = mid - 1
        print("!", lo, flush=True)


main()
