import sys


def main() -> None:
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    seen: dict[int, int] = {}
    count = 0
    for token in data[2:2 + n]:
        a = int(token)
        count += seen.get(k - a, 0)
        seen[a] = seen.get(a, 0) + 1
    print(count)


main()
