"""The gold linker as a compile aid: C and C++ programs link with gold where the toolchain
has it, they behave as the default linker's do, a failed link is redone with the default
linker (so its messages are the default toolchain's), and it can be turned off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Limits, Verdict
from sandbox.backends.local.backend import LocalBackend
from sandbox.backends.base import PROGRAM_ENV
from sandbox.backends.remote.wire import decode_aid, encode_aid
from sandbox.compile.aid import CompileAid
from sandbox.compile.linker import GOLD_FLAG, gold_usable
from sandbox.languages import get_language
from sandbox.languages.native import NativeLanguage

# gold leaves this section in every binary it links; GNU ld (BFD) does not.
GOLD_NOTE = b".note.gnu.gold-version"
SOURCES = {
    "cpp17": '#include <bits/stdc++.h>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<"\\n";}\n',
    "c17": '#include <stdio.h>\nint main(void){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);}\n',
}


@pytest.fixture(scope="module")
def local() -> Iterator[LocalBackend]:
    with LocalBackend(concurrency=1, compile_cache_mb=0) as backend:
        yield backend


def _needs_gold(local: LocalBackend, language: str) -> None:
    if not local.available(language):
        pytest.skip(f"{language} is not installed")
    lang = get_language(language)
    assert isinstance(lang, NativeLanguage)
    if not gold_usable(lang.compiler, PROGRAM_ENV["PATH"]):
        pytest.skip(f"{lang.compiler} has no gold linker here")


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_programs_link_with_gold_and_run_the_same(local, language: str) -> None:
    _needs_gold(local, language)
    aid = local.compile_aid(get_language(language))
    assert aid is not None and GOLD_FLAG in aid.flags
    compiled = local.compile(SOURCES[language] + "// gold\n", language)
    assert compiled.ok and compiled.executable is not None, compiled.diagnostics
    assert GOLD_NOTE in compiled.executable.files["sol"]
    result = local.run(compiled.executable, stdin=b"20 22\n", limits=Limits(cpu_time=2))
    assert (result.status, result.stdout) == (Verdict.OK, b"42\n")


def test_turned_off_every_compile_links_with_the_default_linker(local, monkeypatch) -> None:
    _needs_gold(local, "cpp17")
    monkeypatch.setenv("CPFORGE_FAST_LINK", "off")
    aid = local.compile_aid(get_language("cpp17"))
    assert aid is None or GOLD_FLAG not in aid.flags
    compiled = local.compile(SOURCES["cpp17"] + "// default linker\n", "cpp17")
    assert compiled.ok and compiled.executable is not None, compiled.diagnostics
    assert GOLD_NOTE not in compiled.executable.files["sol"]


def test_a_failed_link_is_reported_in_the_default_linkers_words(local) -> None:
    """A function without main: gold would say "undefined reference to 'main'", GNU ld
    says it with a backquote; the submission gets GNU ld's message, and a CE."""
    _needs_gold(local, "cpp17")
    compiled = local.compile("int helper() { return 1; }\n", "cpp17")
    assert compiled.status is Verdict.CE
    assert "undefined reference to `main'" in compiled.diagnostics
    assert "ld.gold" not in compiled.diagnostics and "error: undefined reference to 'main'" not in compiled.diagnostics


def test_a_compile_error_is_not_redone(local) -> None:
    """Only a failed link goes back to the default linker: a syntax error is reported from
    the one compile, whose command carried the aid."""
    _needs_gold(local, "cpp17")
    aid = local.compile_aid(get_language("cpp17"))
    assert aid is not None
    diagnostics = "sol.cpp:1:5: error: expected ';' before '}' token"
    assert not aid.redo_plain(diagnostics)
    assert aid.redo_plain("collect2: error: ld returned 1 exit status")


def test_aids_combine_and_cross_the_wire_whole() -> None:
    header = CompileAid(flags=("-I/pch",), failure_markers=("cannot read PCH",), description="pch",
                        precompiled_header="bits/stdc++.h")
    linker = CompileAid(flags=(GOLD_FLAG,), retry_markers=("collect2: error:",), description="gold")
    both = CompileAid.combine(header, None, linker)
    assert both is not None
    assert both.flags == ("-I/pch", GOLD_FLAG) and both.precompiled_header == "bits/stdc++.h"
    assert both.broke("cannot read PCH file") and not both.broke("collect2: error: ld returned 1")
    assert both.redo_plain("collect2: error: ld returned 1")
    assert CompileAid.combine(None, None) is None
    assert decode_aid(encode_aid(both)) == both
    assert decode_aid(encode_aid(linker)) == linker
