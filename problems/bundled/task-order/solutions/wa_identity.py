# Wrong: ignores the dependencies and prints the tasks in numeric order.
n, m = map(int, input().split())
print(*range(1, n + 1))
