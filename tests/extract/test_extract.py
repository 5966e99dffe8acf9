"""The shared code-extraction rules used by build-dataset and the reward server."""

import pytest

from sandbox.judge.extract import completion_text, extract_code, infer_language

CPP = "#include <bits/stdc++.h>\nusing namespace std;\nint main(){int a,b;cin>>a>>b;cout<<a+b;}\n"
PY = "a, b = map(int, input().split())\nprint(a + b)\n"
JAVA = "import java.util.*;\npublic class Main { public static void main(String[] a) {} }\n"


@pytest.mark.parametrize("label,expected", [
    ("cpp", "cpp17"), ("c++", "cpp17"), ("cc", "cpp17"), ("CPP", "cpp17"), ("python", "python3"),
    ("py", "python3"), ("python3", "python3"), ("java", "java17"), ("c", "c17"), ("pypy3", "pypy3"),
])
def test_tolerant_labels(label, expected):
    found = extract_code(f"Here:\n```{label}\nbody\n```\n")
    assert found.code == "body\n" and found.language == expected and not found.inferred


def test_last_block_wins_and_text_blocks_are_skipped():
    text = f"Example:\n```python\nprint(1)\n```\nFinal:\n```cpp\n{CPP}```\nOutput:\n```text\n3\n```\n"
    found = extract_code(text)
    assert found.language == "cpp17" and found.code == CPP


@pytest.mark.parametrize("code,language", [(CPP, "cpp17"), (PY, "python3"), (JAVA, "java17"),
                                           ("#include <stdio.h>\nint main(){puts(\"x\");}\n", "c17")])
def test_bare_fence_is_inferred(code, language):
    found = extract_code(f"```\n{code}```")
    assert found.language == language and found.inferred and found.code == code


def test_hint_picks_the_block_of_its_family():
    text = f"```cpp\n{CPP}```\nand in python\n```python\n{PY}```\n"
    assert extract_code(text, "cpp").code == CPP
    assert extract_code(text, "python").code == PY
    assert extract_code(text, "pypy3").language == "pypy3"
    mismatch = extract_code(f"```python\n{PY}```", "java")
    assert mismatch.code is None and "python3" in mismatch.reason


def test_rows_without_code_say_why():
    assert extract_code("I think the answer is 42.").reason == "no code block"
    # A block left open at the end is still the answer, judged as written (see extract.py).
    truncated = extract_code("```cpp\nint main() {")
    assert truncated.code == "int main() {" and truncated.truncated and truncated.language == "cpp17"
    empty = extract_code("text\n```cpp\n")
    assert empty.code is None and "unterminated" in empty.reason
    assert extract_code("```bash\nls\n```").code is None
    assert extract_code("```cpp\nx\n```", "brainfuck").reason.startswith("unknown language")


def test_chat_messages_use_the_last_assistant_turn():
    messages = [{"role": "user", "content": "```cpp\nwrong\n```"},
                {"role": "assistant", "content": f"```python\n{PY}```"}]
    assert completion_text(messages).startswith("```python")
    assert extract_code(messages).code == PY
    assert extract_code({"role": "assistant", "content": f"```py\n{PY}```"}).language == "python3"


def test_longer_fences_may_contain_shorter_ones():
    text = "````markdown\n```cpp\nnot this\n```\n````\n```py\nprint(2)\n```"
    assert extract_code(text).code == "print(2)\n"


def test_infer_language_gives_none_for_prose():
    assert infer_language("just words here") is None
