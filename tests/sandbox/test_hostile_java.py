"""Hostile Java names: a public class named in any Unicode letters compiles and runs, and
a class whose name cannot be a file name is a compile error with javac's own diagnostics,
never a box failure (which the judge would report as JUDGE_ERROR)."""

from __future__ import annotations

import pytest

from sandbox import Verdict
from sandbox.languages import get_language

JAVA = get_language("java17")


def program(name: str, body: str = 'System.out.println("да");', modifiers: str = "public") -> str:
    return f"{modifiers} class {name} {{ public static void main(String[] args) throws Exception {{ {body} }} }}\n"


def test_java_public_class_named_in_cyrillic_compiles_and_runs(backend, build):
    source = program("нет", "var in = new java.util.Scanner(System.in);"
                            ' System.out.println("привет, " + in.next() + "!");')
    exe = build(source, "java17")
    assert exe.entry == "нет" and "нет.class" in exe.files
    result = backend.run(exe, stdin="мир\n".encode())
    assert result.status is Verdict.OK, result.stderr
    assert result.stdout.decode() == "привет, мир!\n"


def test_java_sees_utf8_for_file_names_and_text(backend, build):
    """sun.jnu.encoding decides how class and file names become bytes; it comes from the
    box's locale, so a box without a UTF-8 locale would break every non-ASCII name."""
    keys = ("sun.jnu.encoding", "file.encoding")
    body = " ".join(f'System.out.println(System.getProperty("{key}"));' for key in keys)
    body += ' new java.io.FileOutputStream("файл.txt").close();'
    body += ' System.out.println(new java.io.File("файл.txt").exists());'
    result = backend.run(build(program("Main", body), "java17"))
    assert result.status is Verdict.OK, result.stderr
    assert result.stdout.decode().split() == ["UTF-8", "UTF-8", "true"]


@pytest.mark.parametrize("name, declared", [
    ("нет", "public class нет"),
    ("名前", "public final class 名前"),
    ("Ünïcødé_2", "public class Ünïcødé_2"),
    ("$çà", "public class $çà"),
    ("𝔸lpha", "public class 𝔸lpha"),
    ("нет", "public class \\u043d\\u0435\\u0442"),
    ("Генерик", "public class Генерик<T>{"),
    ("Main", "// public class нет\npublic class Main"),
])
def test_java_source_is_saved_under_its_unicode_public_class(name, declared):
    source = f"{declared} {{ public static void main(String[] a) {{}} }}"
    assert JAVA.source_file(source) == f"{name}.java"
    assert JAVA.entry_point(JAVA.source_file(source), source) == name


def test_java_escaped_backslash_is_not_a_unicode_escape():
    source = 'class Main { String s = "\\\\u0041"; public static void main(String[] a) {} }'
    assert JAVA.entry_point("Main.java", source) == "Main"
    assert JAVA.source_file("public class \\\\u0041 {}") == "Main.java"


@pytest.mark.parametrize("name", ["A" * 300, "ж" * 126], ids=["ascii-300", "cyrillic-252-bytes"])
def test_java_public_class_too_long_for_a_file_name_is_ce(backend, need, name):
    """`ж` is two bytes in UTF-8: 126 of them plus `.java` exceed NAME_MAX (255 bytes)
    although the name has only 126 characters."""
    need("java17")
    compiled = backend.compile(program(name), "java17")
    assert compiled.status is Verdict.CE, compiled.reason
    assert f"class {name} is public, should be declared in a file named {name}.java" in compiled.diagnostics


def test_java_class_file_name_too_long_is_ce(backend, need):
    """The source fits but javac cannot write the class file: still the compiler's verdict."""
    need("java17")
    long_name = "B" * 300
    compiled = backend.compile(f"class {long_name} {{}}\n" + program("Main"), "java17")
    assert compiled.status is Verdict.CE, compiled.reason
    assert f"error while writing {long_name}" in compiled.diagnostics


def test_java_public_class_at_the_file_name_limit_runs(backend, build):
    """249 bytes: `.class` makes 255, the longest file name there is; nothing is refused early."""
    name = "C" * 249
    result = backend.run(build(program(name), "java17"))
    assert result.status is Verdict.OK and result.stdout.decode() == "да\n"
