"""C17 through gcc."""

from __future__ import annotations

from sandbox.languages.base import PromptHint, SelfTest
from sandbox.languages.native import gcc_language

C17 = gcc_language(
    "gcc", "c17", "sol.c",
    id="c17",
    name="C17 (GNU gcc)",
    extensions=(".c",),
    aliases=("c", "gcc"),
    fence_labels=("c11",),
    family="c",
    packages=("gcc", "libc6-dev"),
    prompt=PromptHint("c17", "C (C17)", "c", "scanf", "printf"),
    self_test=SelfTest(
        source='#include <stdio.h>\n'
               '#ifndef ONLINE_JUDGE\n#error "compiled without the contest flags"\n#endif\n'
               '_Static_assert(__STDC_VERSION__ == 201710L, "not C17");\n'
               'int main(void) {\n'
               '    long long a, b;\n'
               '    if (scanf("%lld %lld", &a, &b) != 2) return 1;\n'
               '    printf("%lld\\n", a + b);\n'
               '    return 0;\n'
               '}\n',
    ),
)

PROVIDES = (C17,)
