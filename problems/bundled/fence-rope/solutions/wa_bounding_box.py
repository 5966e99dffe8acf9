# Wrong: wraps the rope around the bounding rectangle instead of the posts themselves.
n = int(input())
xs, ys = [], []
for _ in range(n):
    x, y = map(int, input().split())
    xs.append(x)
    ys.append(y)
print("%.9f" % (2 * (max(xs) - min(xs)) + 2 * (max(ys) - min(ys))))
