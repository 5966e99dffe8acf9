# Reference: bottom-up merge sort counting, for each right-half element, the left-half
# elements strictly greater than it.
import sys


def inversions(a):
    count = 0
    width = 1
    n = len(a)
    while width < n:
        merged = []
        for lo in range(0, n, 2 * width):
            left, right = a[lo:lo + width], a[lo + width:lo + 2 * width]
            i = j = 0
            while i < len(left) and j < len(right):
                if right[j] < left[i]:
                    count += len(left) - i
                    merged.append(right[j])
                    j += 1
                else:
                    merged.append(left[i])
                    i += 1
            merged += left[i:]
            merged += right[j:]
        a = merged
        width *= 2
    return count


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        out.append(inversions(list(map(int, data[pos + 1:pos + 1 + n]))))
        pos += 1 + n
    print("\n".join(map(str, out)))


main()
