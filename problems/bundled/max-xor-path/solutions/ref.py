# Reference: path xor = d[u] ^ d[v] with d the xor from the root. The answer is built bit by
# bit from the top: keep a bit if two prefixes of the d values can produce it.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    d = [0] * (n + 1)
    for i in range(2, n + 1):
        d[i] = d[int(data[i - 1])] ^ int(data[n + i - 2])
    values = d[1:]
    best = 0
    for bit in range(29, -1, -1):
        prefixes = {v >> bit for v in values}
        want = (best << 1) | 1
        best = want if any(want ^ p in prefixes for p in prefixes) else best << 1
    print(best)


main()
