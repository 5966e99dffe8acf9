# Wrong: asks 2, 3, 4, ... until the reply is "<"; far more than 30 queries for large n,
# so the jury replies -1 and the program stops.
import sys


def main():
    games = int(sys.stdin.readline())
    for _ in range(games):
        n = int(sys.stdin.readline())
        if n < 0:
            return
        y = 2
        while y <= n:
            print("?", y, flush=True)
            reply = sys.stdin.readline().strip()
            if reply == "-1" or not reply:
                return
            if reply == "<":
                break
            y += 1
        print("!", y - 1, flush=True)


main()
