"""Deterministic test generator for bracket-fill: `python3 gen.py` rewrites tests/.

The answer file holds the greedy fill (the first '?'s become '(') or -1."""

import random
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"


def fill(s: str) -> str:
    n = len(s)
    need = n // 2 - s.count("(")
    if n % 2 or need < 0 or need > s.count("?"):
        return "-1"
    out, balance = [], 0
    for c in s:
        if c == "?":
            c = "(" if need > 0 else ")"
            need -= c == "("
        balance += 1 if c == "(" else -1
        if balance < 0:
            return "-1"
        out.append(c)
    return "".join(out)


def regular(rng: random.Random, n: int) -> str:
    """A random regular bracket sequence of even length n."""
    out, balance, opens = [], 0, 0
    for i in range(n):
        can_open = opens < n // 2
        if can_open and (balance == 0 or rng.random() < 0.5):
            out.append("(")
            opens += 1
            balance += 1
        else:
            out.append(")")
            balance -= 1
    return "".join(out)


def hide(rng: random.Random, s: str, p: float) -> str:
    return "".join("?" if rng.random() < p else c for c in s)


def noise(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("()??") for _ in range(n))


def main() -> None:
    rng = random.Random(990002_3)
    TESTS.mkdir(exist_ok=True)
    for old in TESTS.glob("*.*"):
        old.unlink()
    tests = {
        "sample1": ["(??)", "?)", ")(", "???"],
        "1": ["??", "()", "((", "))", "?", "(", ")", "?(", ")?", "(?", "??)(", "(??(", "????", "))((", "?()?"],
        "2": [noise(rng, rng.choice([2, 4, 6, 8])) for _ in range(2000)],
        "3": [hide(rng, regular(rng, 2 * rng.randint(1, 20)), 0.4) for _ in range(1000)],
        "4": ["?" * 50 + "((", "?" * 46 + ")" * 2 + "((", ")" + "?" * 51],
        "5": [hide(rng, regular(rng, 6000), 0.5)],
        "6": ["?" * 18000],
        "7": [hide(rng, regular(rng, 1000), 0.9) for _ in range(5)] + [noise(rng, 1000) for _ in range(5)],
        "8": ["(" * 3000 + "?" * 3000, "?" * 2999 + ")" * 3001],
        "9": [hide(rng, regular(rng, 300), 0.2)[::-1] for _ in range(20)],
    }
    for name, strings in tests.items():
        (TESTS / f"{name}.in").write_text(f"{len(strings)}\n" + "\n".join(strings) + "\n")
        (TESTS / f"{name}.out").write_text("\n".join(fill(s) for s in strings) + "\n")


if __name__ == "__main__":
    main()
