# Wrong: averages the speeds, ignoring how long each segment takes.
t = int(input())
for _ in range(t):
    n = int(input())
    speeds = [int(input().split()[1]) for _ in range(n)]
    print("%.9f" % (sum(speeds) / n))
