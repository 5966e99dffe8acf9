# Runtime error: a Graham scan that seeds its stack with the two first points, which do not
# exist when there is only one post (IndexError).
import math
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    points = list(set((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)))
    start = min(points, key=lambda p: (p[1], p[0]))
    rest = sorted((p for p in points if p != start),
                  key=lambda p: (math.atan2(p[1] - start[1], p[0] - start[0]), math.dist(start, p)))
    stack = [start, rest[0]]
    for p in rest[1:]:
        while len(stack) >= 2:
            o, a = stack[-2], stack[-1]
            if (a[0] - o[0]) * (p[1] - o[1]) - (a[1] - o[1]) * (p[0] - o[0]) > 0:
                break
            stack.pop()
        stack.append(p)
    print("%.9f" % sum(math.dist(stack[i], stack[i - 1]) for i in range(len(stack))))


main()
