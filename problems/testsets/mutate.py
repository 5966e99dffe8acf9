"""New test inputs made from existing ones, for problems that ship inputs but no generator.

Pure text work, no sandbox: `tests augment` decides which mutants are valid (validator or
known-correct solutions) and what their answers are. An input is read as lines of
whitespace-separated tokens and written back with single spaces and `\\n` line ends (the
strictest validators demand exactly that). Kinds, each a small step from a real test, so
the mutant stays close to the input format the setters chose:

- `nudge`: one integer moved to a neighbour (v - 1, v + 1): off-by-one boundaries;
- `bound`: one integer set to 0, 1, -1, or the smallest / largest integer seen in any of
  the problem's inputs: overflow and sign bugs, the values a setter thought extreme;
- `swap`: two adjacent different tokens of a line exchanged: order assumptions;
- `size`: when the first integer of the input is a size n (line 2 holds n tokens, or n
  lines follow), n set to another value and the elements cut or repeated cyclically to
  match: the n = 1 edge and the stated limit (which targets are allowed is for the caller
  to probe with the validator).

Everything is deterministic given the seed: the same inputs always give the same mutants."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from itertools import cycle, islice
from typing import Literal, get_args

Kind = Literal["nudge", "bound", "swap", "size"]
"""A mutation's kind; testset.json records it for every added test (`augmented.mutation`)."""
KINDS: tuple[Kind, ...] = get_args(Kind)
POINT_KINDS: tuple[Kind, ...] = ("bound", "nudge", "swap")  # picked round-robin, in this order, by `point_mutants`
SIZE_TARGETS = (1, 2, 10, 100, 1000, 10_000, 100_000, 200_000, 1_000_000)
_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,18})")


@dataclass(frozen=True)
class ParsedInput:
    """An input as lines of tokens; `trailing_newline` so that rendering an unmodified
    input gives its bytes back (when it used single spaces)."""

    lines: tuple[tuple[str, ...], ...]
    trailing_newline: bool

    def render(self, lines: list[list[str]] | tuple[tuple[str, ...], ...] | None = None) -> bytes:
        body = "\n".join(" ".join(line) for line in (self.lines if lines is None else lines))
        return (body + ("\n" if self.trailing_newline else "")).encode("ascii")

    def integers(self) -> list[tuple[int, int, int]]:
        """(line index, token index, value) of every integer token, 0-based."""
        return [(i, j, int(token)) for i, line in enumerate(self.lines) for j, token in enumerate(line)
                if is_integer(token)]


@dataclass(frozen=True)
class Mutant:
    """A new input and how it was made: `test` is the 1-based position of the input it
    came from, `description` the change in words (line and token numbers are 1-based)."""

    data: bytes
    test: int
    kind: Kind
    description: str

    @property
    def provenance(self) -> str:
        return f"augment: test {self.test}, {self.description}"


def is_integer(token: str) -> bool:
    return _INTEGER.fullmatch(token) is not None


def parse(data: bytes) -> ParsedInput | None:
    """None for inputs that are not ASCII text: binary inputs are not mutated."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return None
    trailing = text.endswith("\n")
    raw = text[:-1].split("\n") if trailing else text.split("\n")
    return ParsedInput(lines=tuple(tuple(line.split()) for line in raw), trailing_newline=trailing)


def value_range(inputs: list[bytes]) -> tuple[int, int] | None:
    """The smallest and largest integer across all inputs (None when there is none)."""
    values = [v for data in inputs if (parsed := parse(data)) is not None for _, _, v in parsed.integers()]
    return (min(values), max(values)) if values else None


def _replaced(parsed: ParsedInput, line: int, token: int, new: str) -> bytes:
    lines = [list(tokens) for tokens in parsed.lines]
    lines[line][token] = new
    return parsed.render(lines)


def point_candidates(data: bytes, test: int, bounds: tuple[int, int] | None) -> list[Mutant]:
    """Every nudge, bound and swap mutant of one input, in a fixed order."""
    parsed = parse(data)
    if parsed is None:
        return []
    found: list[Mutant] = []
    for i, j, value in parsed.integers():
        where = f"integer {j + 1} of line {i + 1}"
        for new in (value - 1, value + 1):
            found.append(Mutant(_replaced(parsed, i, j, str(new)), test, "nudge", f"{where}: {value} -> {new}"))
        extremes = [0, 1, -1, *(bounds or ())]
        for new in dict.fromkeys(extremes):  # in order, without repeats
            if new not in (value, value - 1, value + 1):
                found.append(Mutant(_replaced(parsed, i, j, str(new)), test, "bound", f"{where}: {value} -> {new}"))
    for i, line in enumerate(parsed.lines):
        for j in range(len(line) - 1):
            if line[j] != line[j + 1]:
                lines = [list(tokens) for tokens in parsed.lines]
                lines[i][j], lines[i][j + 1] = lines[i][j + 1], lines[i][j]
                how = f"tokens {j + 1} and {j + 2} of line {i + 1} swapped ({line[j]} <-> {line[j + 1]})"
                found.append(Mutant(parsed.render(lines), test, "swap", how))
    return found


def point_mutants(inputs: list[bytes], per_test: int, seed: int) -> list[Mutant]:
    """Up to `per_test` nudge / bound / swap mutants of each input, the kinds taken in turn
    (so that each is present when the input allows it), each kind's candidates shuffled by
    a generator seeded with `seed` and the test's number. Mutants equal to an input or to
    an earlier mutant are skipped."""
    bounds = value_range(inputs)
    seen = set(inputs)
    picked: list[Mutant] = []
    for index, data in enumerate(inputs, start=1):
        rng = random.Random(f"{seed}:{index}")
        pools: dict[Kind, list[Mutant]] = {kind: [] for kind in POINT_KINDS}
        for mutant in point_candidates(data, index, bounds):
            pools[mutant.kind].append(mutant)
        for pool in pools.values():
            rng.shuffle(pool)
        taken = 0
        while taken < per_test and any(pools.values()):
            for kind in POINT_KINDS:
                while pools[kind] and taken < per_test:
                    mutant = pools[kind].pop()
                    if mutant.data not in seen:
                        seen.add(mutant.data)
                        picked.append(mutant)
                        taken += 1
                        break
    return picked


def size_of(parsed: ParsedInput) -> tuple[int, str] | None:
    """(n, layout) when the input's first integer is a size: `row` when line 2 holds
    exactly n tokens, `lines` when at least n lines follow line 1. None otherwise."""
    if not parsed.lines or not parsed.lines[0] or not is_integer(parsed.lines[0][0]):
        return None
    n = int(parsed.lines[0][0])
    if n < 1:
        return None
    if len(parsed.lines) >= 2 and len(parsed.lines[1]) == n and (n > 1 or len(parsed.lines) == 2):
        return n, "row"
    if n > 1 and len(parsed.lines) >= n + 1:
        return n, "lines"
    return None


def resize(data: bytes, test: int, target: int) -> Mutant | None:
    """The input with its size set to `target`, elements cut or repeated cyclically; None
    when the input has no recognisable size or already has that one."""
    parsed = parse(data)
    found = size_of(parsed) if parsed is not None else None
    if parsed is None or found is None or found[0] == target or target < 1:
        return None
    n, layout = found
    lines = [list(tokens) for tokens in parsed.lines]
    lines[0][0] = str(target)
    if layout == "row":
        lines[1] = list(islice(cycle(lines[1]), target))
    else:
        lines = [lines[0], *islice(cycle(lines[1: n + 1]), target), *lines[n + 1:]]
    how = "cut to the first elements" if target < n else "elements repeated"
    return Mutant(parsed.render(lines), test, "size", f"size (integer 1 of line 1): {n} -> {target}, {how}")


def size_targets(n: int, max_size: int) -> list[int]:
    """Sizes to try, ascending: 1, 2, the round limits setters state, and `max_size`."""
    return sorted({t for t in (*SIZE_TARGETS, max_size) if t <= max_size and t != n})
