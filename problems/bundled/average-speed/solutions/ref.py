# Reference: average speed = total distance / total time (not the mean of the speeds).
import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        pos += 1
        distance = hours = 0.0
        for i in range(pos, pos + 2 * n, 2):
            d, v = int(data[i]), int(data[i + 1])
            distance += d
            hours += d / v
        pos += 2 * n
        out.append("%.9f" % (distance / hours))
    print("\n".join(out))


main()
