# Reference: a cyclic shift moves every student; a lone student cannot move.
import sys


def main():
    data = sys.stdin.read().split()
    out = []
    for n in map(int, data[1:1 + int(data[0])]):
        if n == 1:
            out.append("-1")
        else:
            out.append(" ".join(map(str, range(2, n + 1))) + " 1")
    sys.stdout.write("\n".join(out) + "\n")


main()
