# Reference: monotone chain convex hull, then its perimeter.
import math
import sys


def cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def half(points):
    chain = []
    for p in points:
        while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
            chain.pop()
        chain.append(p)
    return chain


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    points = sorted(set(zip(map(int, data[1:2 * n + 1:2]), map(int, data[2:2 * n + 2:2]))))
    if len(points) < 2:
        print("0.000000000")
        return
    hull = half(points)[:-1] + half(points[::-1])[:-1]
    print("%.9f" % sum(math.dist(hull[i], hull[i - 1]) for i in range(len(hull))))


main()
