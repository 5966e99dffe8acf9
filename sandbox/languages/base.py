"""The language plug-in contract: each language says how it compiles, how it runs, and how
the generic limits map onto its runtime (an address-space rlimit for native code, -Xmx for
Java), so backends stay language-agnostic.

It also carries everything the layers above need to know about it, so that none of them
keeps a table of its own: the names a model's code fence may give it (`fence_labels`) and
which languages an unlabelled block could equally be (`family`) for the extractor; the
Debian packages of its toolchain (`packages`) for `verifier doctor`'s hint; a `self_test`
that doctor and the tests run for every language; how to read its version line; and
whether checkers written in it are given testlib.h."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sandbox.limits import CompileLimits, Limits, MiB

# Native runtimes map a few MiB of shared libraries on top of what the program allocates;
# the address-space cap leaves room for that so that a program using a little more than
# its limit is *measured* over it (MLE) instead of failing an allocation at random.
ADDRESS_SPACE_SLACK = 64 * MiB


@dataclass(frozen=True)
class SelfTest:
    """A program that must compile, read `stdin` and print exactly `stdout`: what
    `verifier doctor` and tests/sandbox/test_languages.py run for every language. Make it
    exercise what is particular to the language's set-up (its standard, its interpreter,
    its encoding), not only that a compiler exists."""

    source: str
    # Sums past 32 bits, so a program that reads into an int is caught.
    stdin: bytes = b"1000000000000 2\n"
    stdout: bytes = b"1000000000002\n"


@dataclass(frozen=True)
class PromptHint:
    """How a statement prompt asks for a solution in the language (problems/pipeline/prompts):
    `column` is the value of a dataset's `language` column (open-r1's name where it has one:
    "python", "cpp"), `display` how the prompt names it, `fence` the label asked for on the
    code block, `read`/`write` how a program reads standard input and writes standard output."""

    column: str
    display: str
    fence: str
    read: str
    write: str


@dataclass(frozen=True)
class Language:
    id: str
    name: str
    source_name: str
    extensions: tuple[str, ...]
    compile_argv: tuple[str, ...] | None
    artifacts: tuple[str, ...]
    version_argv: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    memory_error_markers: tuple[bytes, ...] = ()
    # What the runtime prints when a new thread or process is refused: with a process limit
    # hit, such a crash is the limit's doing, not a memory problem (Java says "OutOfMemory").
    process_limit_markers: tuple[bytes, ...] = ()
    limit_address_space: bool = True
    compile_env: dict[str, str] = field(default_factory=dict)
    # A system header worth precompiling (C++'s bits/stdc++.h costs most of a contest
    # compile); None where the language has nothing to gain.
    precompiled_header: str | None = None
    # What a Markdown code fence may call it besides its id and aliases ("C++17", "gnu++17");
    # matched case-insensitively by the completion extractor, never by get_language.
    fence_labels: tuple[str, ...] = ()
    # Languages of one family are interchangeable for extraction: with a language hint, a
    # block labelled with any member of the hint's family is taken (cpp17/cpp20, python3/pypy3).
    # "" means the family of its own id.
    family: str = ""
    # The Debian/Ubuntu packages that install the toolchain (doctor's hint, set-up).
    packages: tuple[str, ...] = ()
    self_test: SelfTest | None = None
    # Its compile step is only a syntax check and the run reads the source (SandboxFusion
    # reports such languages' compile errors as a failed run, with no compile step).
    interpreted: bool = False
    # Checkers and interactors written in it get testlib.h beside them when one is configured.
    uses_testlib: bool = False
    # The command that starts its interpreter (`python3 -I -S -B`): a run or syntax check
    # whose argv begins with it may be forked from a pre-started interpreter of that command
    # (a zygote) instead of starting one. Empty: always a cold start.
    zygote_command: tuple[str, ...] = ()
    # What starts a comment to the end of the line (to tag a copy of a source harmlessly).
    line_comment: str = "//"
    prompt: PromptHint | None = None

    @property
    def family_name(self) -> str:
        return self.family or self.id

    def version_line(self, output: str) -> str:
        """The toolchain's version as one line, from what `version_argv` printed (stdout and
        stderr merged): its first non-empty line, or the language's name if it printed none."""
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        return lines[0] if lines else self.name

    def source_file(self, source: str) -> str:
        """File name the source is saved under (Java derives it from the public class)."""
        return self.source_name

    def compile_command(self, source_file: str, extra_flags: tuple[str, ...] = ()) -> list[str] | None:
        """`extra_flags` go right after the compiler's name: they come from a backend's
        compile aid (an include directory holding a precompiled header) and must never
        change what the compiled program does."""
        if self.compile_argv is None:
            return None
        argv = list(self.compile_argv)
        argv[1:1] = extra_flags
        return argv

    def header_flags(self) -> tuple[str, ...] | None:
        """The compiler and every flag of a real compile that a precompiled header must be
        built with to be accepted (and to mean the same); None when there is no header."""
        return None

    def run_command(self, entry: str, limits: Limits) -> list[str]:
        raise NotImplementedError

    def address_space_bytes(self, memory_mb: float) -> int | None:
        """RLIMIT_AS for a run with this memory limit, or None where the runtime reserves
        far more virtual memory than it uses (the JVM) and -Xmx does the job instead."""
        return int(memory_mb * MiB) + ADDRESS_SPACE_SLACK if self.limit_address_space else None

    def compile_address_space_bytes(self, limits: CompileLimits) -> int | None:
        return self.address_space_bytes(limits.memory_mb)

    def executable_files(self, source_file: str, source: bytes, artifacts: dict[str, bytes],
                         extra_files: dict[str, bytes] | None = None) -> dict[str, bytes]:
        """Files a run needs: the compiler's artifacts, or the source (and the files given
        beside it, such as a helper module) for interpreters."""
        return artifacts

    def entry_point(self, source_file: str, source: str) -> str:
        return source_file

    def digest(self, source: bytes, flags: tuple[str, ...] = ()) -> str:
        hasher = hashlib.sha256()
        hasher.update(self.id.encode() + b"\0" + "\0".join(flags).encode() + b"\0")
        hasher.update(source)
        return hasher.hexdigest()
