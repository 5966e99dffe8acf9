# Reference: every stack is raised to the tallest one.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        heights = list(map(int, data[pos + 1:pos + 1 + n]))
        pos += 1 + n
        out.append(n * max(heights) - sum(heights))
    print("\n".join(map(str, out)))


main()
