"""Every language plug-in compiles, runs, reports its toolchain, and maps limits."""

from __future__ import annotations

import pytest

from sandbox import Limits, Verdict, UnknownLanguage, get_language, language_for_file
from sandbox.tools.doctor import run_self_test
from sandbox.judge.extract import extract_code
from sandbox.languages import (FAMILIES, FENCE_LABELS, LANGUAGES, PLUGINS, SelfTest, _index, _load,
                              toolchain_packages)


APLUSB = {
    "c17": '#include <stdio.h>\nint main(void){long long a,b;scanf("%lld %lld",&a,&b);'
           'printf("%lld\\n",a+b);return 0;}\n',
    "cpp17": '#include <bits/stdc++.h>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<"\\n";}\n',
    "cpp20": '#include <bits/stdc++.h>\nint main(){long long a,b;std::cin>>a>>b;auto s=[](auto x,auto y){return x+y;};'
             'std::cout<<s(a,b)<<"\\n";static_assert(__cplusplus>=202002L);}\n',
    "python3": "a, b = map(int, input().split())\nprint(a + b)\n",
    "pypy3": "a, b = map(int, input().split())\nprint(a + b)\n",
    "java17": "import java.util.*;\npublic class Solution {\n public static void main(String[] x) {\n"
              "  Scanner s = new Scanner(System.in);\n  System.out.println(s.nextLong() + s.nextLong());\n }\n}\n",
}

BROKEN = {
    "c17": "int main(void) { return x; }\n",
    "cpp17": "int main() { undefined_name(); }\n",
    "cpp20": "int main() { undefined_name(); }\n",
    "python3": "def f(:\n    pass\n",
    "pypy3": "def f(:\n    pass\n",
    "java17": "public class Main { public static void main(String[] a) { int x = ; } }\n",
}


@pytest.mark.parametrize("language", sorted(APLUSB))
def test_aplusb_runs_in_every_language(backend, need, language):
    need(language)
    compiled = backend.compile(APLUSB[language], language)
    assert compiled.ok, compiled.diagnostics
    assert compiled.toolchain and compiled.executable.toolchain == compiled.toolchain
    result = backend.run(compiled.executable, stdin=b"1000000000000 2\n", limits=Limits(cpu_time=5, memory_mb=256))
    assert result.status is Verdict.OK, result.message + result.stderr.decode()
    assert result.stdout == b"1000000000002\n"
    assert result.toolchain == compiled.toolchain
    assert result.language == get_language(language).id
    assert result.cpu_time > 0 and result.wall_time >= result.cpu_time * 0.5
    assert result.memory_bytes > 1 << 20


@pytest.mark.parametrize("language", sorted(BROKEN))
def test_compile_error_has_bounded_diagnostics(backend, need, language):
    need(language)
    compiled = backend.compile(BROKEN[language], language)
    assert compiled.status is Verdict.CE
    assert compiled.diagnostics.strip(), "a compile error must say why"
    assert len(compiled.diagnostics.encode()) <= 64 * 1024


def test_language_lookup():
    assert get_language("c++").id == "cpp17"
    assert get_language("Python").id == "python3"
    assert get_language("java").id == "java17"
    assert language_for_file("x.cc").id == "cpp17"
    with pytest.raises(UnknownLanguage):
        get_language("cobol")
    with pytest.raises(UnknownLanguage):
        language_for_file("notes.txt")


def test_java_limits_map_to_jvm_flags():
    java = get_language("java17")
    argv = java.run_command("Main", Limits(memory_mb=300, stack_mb=64))
    assert "-Xmx300m" in argv and "-Xss64m" in argv
    assert java.address_space_bytes(300) is None  # the JVM is bounded by -Xmx, not RLIMIT_AS
    assert get_language("cpp17").address_space_bytes(256) >= 256 << 20


def test_java_class_name_follows_public_class():
    java = get_language("java17")
    source = ("// public class Fake\nimport java.io.*;\n"
              "public final class Answer { public static void main(String[] a){} }")
    assert java.source_file(source) == "Answer.java"
    assert java.entry_point("Answer.java", source) == "Answer"
    plain = "class Helper {}\nclass Prog { public static void main(String[] a) {} }"
    assert java.entry_point("Main.java", plain) == "Prog"


def test_python_runs_in_a_clean_interpreter(build, backend):
    exe = build("import sys\nprint(sys.flags.no_site, sys.flags.isolated, sys.flags.dont_write_bytecode)\n", "python3")
    result = backend.run(exe)
    assert result.stdout == b"1 1 1\n"


def test_unavailable_language_is_reported_not_crashed(backend, monkeypatch):
    from sandbox.languages import native

    fake = native.NativeLanguage(id="cpp17", name="missing", source_name="sol.cpp", extensions=(),
                                 compile_argv=("no-such-compiler", "sol.cpp"), artifacts=("sol",),
                                 version_argv=("no-such-compiler", "--version"), packages=("no-such-package",))
    fresh = type(backend).__new__(type(backend))
    fresh.__dict__.update(backend.__dict__)
    fresh._toolchains = {}
    assert fresh.toolchain(fake) is None
    result = fresh.compile("int main(){}", fake)
    assert result.status is Verdict.SANDBOX_ERROR and "not available" in result.reason
    check = run_self_test(fresh, fake)  # doctor: unavailable, with what to install
    assert not check.ok and check.detail.startswith("unavailable") and "apt-get install no-such-package" in check.detail


# ---------------------------------------------------------------------------- the registry

@pytest.mark.parametrize("language", list(LANGUAGES))
def test_self_test_passes_in_every_language(backend, need, language):
    """What `verifier doctor` runs: every registered language's self-test, in the sandbox."""
    need(language)
    check = run_self_test(backend, LANGUAGES[language])
    assert check.ok, check.detail


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_plugin_fills_the_contract(language):
    lang = LANGUAGES[language]
    assert isinstance(lang.self_test, SelfTest) and lang.self_test.stdout, "a self-test with expected output"
    assert lang.packages, "the Debian packages of its toolchain"
    assert set(lang.packages) <= set(toolchain_packages())
    assert lang.version_argv and lang.name and lang.source_name
    assert get_language(lang.id) is lang
    for alias in lang.aliases:
        assert get_language(alias) is lang
    for label in (lang.id, *lang.aliases, *lang.fence_labels):
        assert FENCE_LABELS[label.lower()] == lang.id
        fenced = extract_code(f"Here:\n```{label.upper()}\nx = 1\n```\n")
        assert fenced.language == lang.id, label
    for extension in lang.extensions:
        assert language_for_file(f"sol{extension}") is lang
    if lang.prompt is not None:  # a prompt's fence label leads back to the language's family
        assert FAMILIES[FENCE_LABELS[lang.prompt.fence]] == lang.family_name
        assert get_language(lang.prompt.column) is lang


def test_registry_is_the_extractors_table():
    assert FENCE_LABELS["c++14"] == FENCE_LABELS["gnu++17"] == "cpp17"
    assert FAMILIES["cpp20"] == FAMILIES["cpp17"] and FAMILIES["pypy3"] == FAMILIES["python3"]
    assert FAMILIES["c17"] != FAMILIES["cpp17"]
    with pytest.raises(UnknownLanguage):
        get_language("c++14")  # fence labels are for completions, not for --lang
    hinted = extract_code("```cpp20\nint main(){}\n```", language="cpp17")
    assert hinted.language == "cpp17" and hinted.code


def test_registry_refuses_a_name_claimed_twice():
    with pytest.raises(ValueError, match="claimed by both"):
        _index(LANGUAGES, "alias", lambda lang: ("same",))
    with pytest.raises(ValueError, match="registered twice"):
        _load(("cpp", "cpp"))
    assert len(PLUGINS) == len(set(PLUGINS))


def test_pypy_version_line_keeps_its_own_version():
    output = "Python 3.9.16 (7.3.11+dfsg-2, Dec 30 2024, 22:36:23)\n[PyPy 7.3.11 with GCC 12.2.0]\n"
    assert get_language("pypy3").version_line(output).endswith("[PyPy 7.3.11 with GCC 12.2.0]")
    assert get_language("python3").version_line("\nPython 3.11.2\n") == "Python 3.11.2"
    assert get_language("cpp17").version_line("") == get_language("cpp17").name


def test_testlib_goes_to_cpp_helpers_only():
    assert {lang.id for lang in LANGUAGES.values() if lang.uses_testlib} == {"cpp17", "cpp20"}
