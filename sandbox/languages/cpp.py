"""C++17 and C++20 through g++. They are one toolchain with two `-std` settings, so they
live in one module and differ only in their standard, names and self-test; both precompile
`bits/stdc++.h` (nearly every contest solution starts with it, and parsing it is about three
quarters of an A+B compile) and both give checkers and interactors testlib.h."""

from __future__ import annotations

from typing import Any

from sandbox.languages.base import PromptHint, SelfTest
from sandbox.languages.native import NativeLanguage, gcc_language


def _cpp(std: str, **fields: Any) -> NativeLanguage:
    return gcc_language(
        "g++", std, "sol.cpp",
        memory_error_markers=(b"std::bad_alloc",),
        process_limit_markers=(b"Resource temporarily unavailable",),
        precompiled_header="bits/stdc++.h",
        family="cpp",
        packages=("g++", "libc6-dev"),
        uses_testlib=True,
        **fields,
    )


CPP17 = _cpp(
    "c++17",
    id="cpp17",
    name="C++17 (GNU g++)",
    extensions=(".cpp", ".cc", ".cxx", ".c++"),
    aliases=("cpp", "c++", "cc", "g++", "c++17"),
    # Older standards are judged as C++17, as the extractor always did.
    fence_labels=("cxx", "cpp14", "c++14", "cpp11", "c++11", "gnu++17"),
    prompt=PromptHint("cpp", "C++17", "cpp", "cin or scanf", "cout or printf"),
    self_test=SelfTest(
        source='#include <bits/stdc++.h>\n'
               'static_assert(__cplusplus == 201703L, "not C++17");\n'
               'int main() {\n'
               '    std::vector<long long> v(2);\n'
               '    std::cin >> v[0] >> v[1];\n'
               '    auto [a, b] = std::pair{v[0], v[1]};\n'
               '    std::cout << a + b << "\\n";\n'
               '}\n',
    ),
)

CPP20 = _cpp(
    "c++20",
    id="cpp20",
    name="C++20 (GNU g++)",
    extensions=(),
    aliases=("c++20",),
    fence_labels=("gnu++20",),
    prompt=PromptHint("cpp20", "C++20", "cpp", "cin or scanf", "cout or printf"),
    self_test=SelfTest(
        source='#include <bits/stdc++.h>\n'
               'static_assert(__cplusplus >= 202002L, "not C++20");\n'
               'int main() {\n'
               '    long long a, b;\n'
               '    std::cin >> a >> b;\n'
               '    auto add = []<typename T>(T x, T y) { return x + y; };\n'
               '    std::cout << add(a, b) << "\\n";\n'
               '}\n',
    ),
)

PROVIDES = (CPP17, CPP20)
