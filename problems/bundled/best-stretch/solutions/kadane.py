import sys


def main() -> None:
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    best, run = None, 0
    for token in data[1:n + 1]:
        a = int(token)
        run = max(run + a, a)
        best = run if best is None or run > best else best
    print(best)


main()
