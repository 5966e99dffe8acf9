"""Java 17. The JVM reserves far more address space than it uses, so memory is bounded by
-Xmx and measured from peak RSS instead of an address-space rlimit; the stack limit maps
onto -Xss, which sizes the thread that runs main().

javac demands that a public class live in a file of the same name, so the source is saved
under that name. Class names are Java identifiers, which are Unicode (`public class нет`),
so they are read the way javac reads them, not as ASCII words. A name too long to be a
file name (NAME_MAX counts UTF-8 bytes) is saved under the default name instead: javac
then rejects it with its own "should be declared in a file named" error, a compile error
the author can act on rather than a box that could not be set up."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sandbox.limits import CompileLimits, Limits
from sandbox.languages.base import Language, PromptHint, SelfTest

# The longest file name, in bytes, that Linux file systems accept.
NAME_MAX = 255
# What follows `class` up to the next blank; `_identifier` trims it to the name itself.
PUBLIC_CLASS = re.compile(r"\bpublic\s+(?:(?:final|abstract|strictfp)\s+)*class\s+(\S+)")
ANY_CLASS = re.compile(r"\bclass\s+(\S+)")
MAIN_METHOD = re.compile(r"\bstatic\s+(?:public\s+)?void\s+main\s*\(")
# javac translates `\uXXXX` (any number of `u`s) before it reads anything else, unless the
# backslash is itself escaped: only an odd run of backslashes starts an escape.
UNICODE_ESCAPE = re.compile(r"(\\+)u+([0-9A-Fa-f]{4})")
# file.encoding pins what System.out writes and what javac's diagnostics are in, whatever
# locale a backend's image ships; file names (sun.jnu.encoding) follow the box's UTF-8
# locale (PROGRAM_ENV), which the JVM offers no switch to override.
UTF8 = "-Dfile.encoding=UTF-8"
JVM_FLAGS = ("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto", UTF8)

# Character.isJavaIdentifierStart: letters, letter numbers, currency symbols, connectors.
_START = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Sc", "Pc"})
# Character.isJavaIdentifierPart adds digits, combining marks and ignorable format codes.
_PART = _START | {"Nd", "Mn", "Mc", "Cf"}


def _ignorable_control(char: str) -> bool:
    """The ISO controls Character.isIdentifierIgnorable counts as identifier parts."""
    code = ord(char)
    return 0 <= code <= 8 or 0x0E <= code <= 0x1B or 0x7F <= code <= 0x9F


def _identifier(token: str) -> str:
    """The Java identifier `token` starts with ("" if it starts with none), so that
    `Main{` or `нет<T>` yield the class name alone."""
    if not token or unicodedata.category(token[0]) not in _START:
        return ""
    end = 1
    while end < len(token) and (unicodedata.category(token[end]) in _PART or _ignorable_control(token[end])):
        end += 1
    return token[:end]


def _unescape(source: str) -> str:
    """The source as javac's lexer sees it, after Unicode escapes are translated."""

    def translate(match: re.Match[str]) -> str:
        slashes = match.group(1)
        if len(slashes) % 2 == 0:
            return match.group(0)
        return slashes[:-1] + chr(int(match.group(2), 16))

    text = UNICODE_ESCAPE.sub(translate, source) if "\\" in source else source
    # Escaped surrogate pairs (a supplementary letter) become the one character they spell.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _jvm_size(mib: float) -> str:
    """A JVM size flag's value: whole MiB as "256m", smaller limits (1 KiB and up) in KiB."""
    return f"{int(mib)}m" if float(mib).is_integer() else f"{max(1, int(mib * 1024))}k"


def _strip_comments(source: str) -> str:
    return re.sub(r"//[^\n]*|/\*.*?\*/", " ", _unescape(source), flags=re.DOTALL)


def _classes(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    """(offset, name) of each class declaration `pattern` finds whose name is an identifier."""
    found = ((match.start(), _identifier(match.group(1))) for match in pattern.finditer(text))
    return [(start, name) for start, name in found if name]


def fits_file_name(name: str) -> bool:
    """Whether `name` can be a file name: at most NAME_MAX bytes, as UTF-8."""
    return len(name.encode("utf-8", errors="surrogatepass")) <= NAME_MAX


@dataclass(frozen=True)
class JavaLanguage(Language):
    def source_file(self, source: str) -> str:
        public = _classes(PUBLIC_CLASS, _strip_comments(source))
        if not public:
            return self.source_name
        name = f"{public[0][1]}.java"
        return name if fits_file_name(name) else self.source_name

    def entry_point(self, source_file: str, source: str) -> str:
        """The class whose main() starts the program: the public class, else the first
        class declared before a main method."""
        text = _strip_comments(source)
        public = _classes(PUBLIC_CLASS, text)
        if public:
            return public[0][1]
        main = MAIN_METHOD.search(text)
        candidates = [name for start, name in _classes(ANY_CLASS, text) if main is None or start < main.start()]
        return candidates[-1] if candidates else source_file.removesuffix(".java")

    def compile_command(self, source_file: str, extra_flags: tuple[str, ...] = ()) -> list[str]:
        return ["javac", *extra_flags, "-J-Xmx512m", "-J-XX:+UseSerialGC", "-J-Xshare:auto", f"-J{UTF8}",
                "-encoding", "UTF-8", "-nowarn", "-d", ".", source_file]

    def run_command(self, entry: str, limits: Limits) -> list[str]:
        return ["java", f"-Xmx{_jvm_size(limits.memory_mb)}", f"-Xss{_jvm_size(limits.effective_stack_mb)}",
                *JVM_FLAGS, "-cp", ".", entry]

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
    memory_error_markers=(b"java.lang.OutOfMemoryError", b"Too small maximum heap",
                          b"Could not reserve enough space"),
    process_limit_markers=(b"unable to create native thread",),
    limit_address_space=False,
    family="java",
    packages=("openjdk-17-jdk-headless",),
    prompt=PromptHint("java17", "Java 17", "java", "System.in", "System.out"),
    # A Unicode public class (saved as Сумма.java, run as Сумма) printing UTF-8: the file
    # naming, the box's locale and -Dfile.encoding all have to hold for this to pass.
    self_test=SelfTest(
        source="import java.util.*;\n"
               "public class Сумма {\n"
               "    public static void main(String[] args) {\n"
               "        Scanner in = new Scanner(System.in);\n"
               "        long a = in.nextLong(), b = in.nextLong();\n"
               "        System.out.println(\"сумма \" + (a + b));\n"
               "    }\n"
               "}\n",
        stdin=b"1000000000000 2\n",
        stdout="сумма 1000000000002\n".encode(),
    ),
)

PROVIDES = (JAVA17,)
