# Too slow: Jarvis march (gift wrapping) costs O(n * h); when every post is on the hull
# (the parabola test) that is quadratic.
import math
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    points = sorted(set((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)))
    if len(points) < 2:
        print("0.000000000")
        return
    start = points[0]
    hull = [start]
    current = start
    while True:
        candidate = points[0] if points[0] != current else points[1]
        for p in points:
            if p == current:
                continue
            c = (candidate[0] - current[0]) * (p[1] - current[1]) - (candidate[1] - current[1]) * (p[0] - current[0])
            if c < 0 or (c == 0 and math.dist(current, p) > math.dist(current, candidate)):
                candidate = p
        current = candidate
        if current == start:
            break
        hull.append(current)
    print("%.9f" % sum(math.dist(hull[i], hull[i - 1]) for i in range(len(hull))))


main()
