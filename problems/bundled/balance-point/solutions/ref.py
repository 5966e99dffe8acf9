# Reference: prefix sums, a proper split keeps at least one element on each side.
import sys
from itertools import accumulate


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        a = list(map(int, data[pos + 1:pos + 1 + n]))
        pos += 1 + n
        total = sum(a)
        ok = any(2 * p == total for p in accumulate(a[:-1]))
        out.append("YES" if ok else "NO")
    print("\n".join(out))


main()
