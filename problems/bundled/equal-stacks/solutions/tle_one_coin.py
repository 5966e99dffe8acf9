# Too slow: adds the coins one at a time, up to about 10^9 steps per stack.
import sys


def main():
    data = sys.stdin.read().split()
    t = int(data[0])
    pos = 1
    for _ in range(t):
        n = int(data[pos])
        heights = list(map(int, data[pos + 1:pos + 1 + n]))
        pos += 1 + n
        target = max(heights)
        added = 0
        for h in heights:
            while h < target:
                h += 1
                added += 1
        print(added)


main()
