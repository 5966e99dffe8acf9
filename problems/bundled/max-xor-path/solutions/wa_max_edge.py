# Wrong: assumes the best path is a single edge.
n = int(input())
input()
print(max(map(int, input().split())))
