"""Java 17. The JVM reserves far more address space than it uses, so memory is bounded by
-Xmx and measured from peak RSS instead of an address-space rlimit; the stack limit maps
onto -Xss, which sizes the thread that runs main()."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..limits import CompileLimits, Limits
from .base import Language

PUBLIC_CLASS = re.compile(r"\bpublic\s+(?:(?:final|abstract|strictfp)\s+)*class\s+([A-Za-z_$][\w$]*)")
ANY_CLASS = re.compile(r"\bclass\s+([A-Za-z_$][\w$]*)")
MAIN_METHOD = re.compile(r"\bstatic\s+(?:public\s+)?void\s+main\s*\(")
JVM_FLAGS = ("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto")


def _strip_comments(source: str) -> str:
    return re.sub(r"//[^\n]*|/\*.*?\*/", " ", source, flags=re.S)


@dataclass(frozen=True)
class JavaLanguage(Language):
    def source_file(self, source: str) -> str:
        match = PUBLIC_CLASS.search(_strip_comments(source))
        return f"{match.group(1)}.java" if match else self.source_name

    def entry_point(self, source_file: str, source: str) -> str:
        """The class whose main() starts the program: the public class, else the first
        class declared before a main method."""
        text = _strip_comments(source)
        public = PUBLIC_CLASS.search(text)
        if public:
            return public.group(1)
        main = MAIN_METHOD.search(text)
        candidates = [m for m in ANY_CLASS.finditer(text) if main is None or m.start() < main.start()]
        return candidates[-1].group(1) if candidates else source_file.removesuffix(".java")

    def compile_command(self, source_file: str, extra_flags: tuple[str, ...] = ()) -> list[str]:
        return ["javac", *extra_flags, "-J-Xmx512m", "-J-XX:+UseSerialGC", "-J-Xshare:auto", "-encoding", "UTF-8",
                "-nowarn", "-d", ".", source_file]

    def run_command(self, entry: str, limits: Limits) -> list[str]:
        return ["java", f"-Xmx{limits.memory_mb}m", f"-Xss{limits.effective_stack_mb}m", *JVM_FLAGS, "-cp", ".", entry]

    def compile_address_space_bytes(self, limits: CompileLimits) -> int | None:
        return None


JAVA17 = JavaLanguage(
    id="java17",
    name="Java 17 (OpenJDK)",
    source_name="Main.java",
    extensions=(".java",),
    compile_argv=(),
    artifacts=("*.class",),
    version_argv=("java", "-version"),
    aliases=("java", "java17", "jdk"),
    memory_error_markers=(b"java.lang.OutOfMemoryError",),
    limit_address_space=False,
)
