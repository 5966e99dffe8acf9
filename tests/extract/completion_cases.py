"""Realistic model completions and the program a careful human would pull out of each.

The one table behind every extraction test: `tests/extract` checks `extract_code` on all of
it, the pipeline's candidate rows and the reward server's request paths replay it, and the
framework adapters' tests may import it too. Keep it stable: add cases, don't rename fields.

Each `Case` has:

* `id`: a short unique name (the pytest id).
* `completion`: what a framework hands over: a string (for OpenRLHF, prompt + response with
  the chat template's tokens), a chat message dict, or a list of messages (TRL's
  conversational format).
* `language`: the hint a caller passes (a dataset's language column), or None.
* `code`: the exact program expected (newlines as ``\\n``), or None when there is no code.
* `expected_language`: the language id expected with it (None: found, but not judgeable).
* `reason`: for `code=None`, a substring of the reason extraction must give.
* `truncated`: the expected block has no closing fence.
* `aplusb`: the expected program correctly solves A+B (two integers on a line, print their
  sum), so the judging paths can demand a score of 1.0 for it.
* `note`: why the expected value is what it is, where that is not obvious.

Decisions worth knowing (also in `sandbox/judge/extract.py`): a `<think>` that never closes is
truncated reasoning, so there is no answer; code only inside `<think>` is a draft, not an
answer; a block left open at the end is still the answer (stop sequences such as "```" eat
the closing fence), marked truncated; an unlabelled block of plain numbers and words is
sample input/output, never the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["APLUSB_C", "APLUSB_CPP", "APLUSB_JAVA", "APLUSB_PY", "APLUSB_PY_SYS", "CASES", "Case", "case"]

APLUSB_CPP = ('#include <bits/stdc++.h>\nusing namespace std;\n\nint main() {\n    long long a, b;\n'
              '    cin >> a >> b;\n    cout << a + b << "\\n";\n    return 0;\n}\n')
APLUSB_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
APLUSB_PY_SYS = ("import sys\n\n\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n"
                 "    print(a + b)\n\n\nmain()\n")
APLUSB_JAVA = ("import java.util.*;\n\npublic class Main {\n    public static void main(String[] args) {\n"
               "        Scanner in = new Scanner(System.in);\n        long a = in.nextLong(), b = in.nextLong();\n"
               "        System.out.println(a + b);\n    }\n}\n")
APLUSB_C = ('#include <stdio.h>\n\nint main(void) {\n    long long a, b;\n    scanf("%lld %lld", &a, &b);\n'
            '    printf("%lld\\n", a + b);\n    return 0;\n}\n')
_WRONG_PY = "a, b = map(int, input().split())\nprint(a - b)\n"
_STATEMENT = "Given two integers a and b (|a|, |b| <= 10^9) on one line, print a + b."


@dataclass(frozen=True)
class Case:
    id: str
    completion: Any
    code: str | None
    expected_language: str | None = None
    language: str | None = None
    reason: str | None = None
    truncated: bool = False
    aplusb: bool = False
    note: str = ""


def _indent(code: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line.strip() else line for line in code.splitlines(keepends=True))


CASES: list[Case] = [
    # ---- OpenRLHF: prompt + response with the chat template's tokens, fence then end token
    Case("qwen-query-im_end",
         "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" + _STATEMENT
         + "\n\nExample:\n```\n1 2\n```<|im_end|>\n<|im_start|>assistant\nHere is a C++ solution:\n\n```cpp\n"
         + APLUSB_CPP + "```<|im_end|>",
         APLUSB_CPP, "cpp17", aplusb=True,
         note="the user's example block is in the prompt, not the answer"),
    Case("qwen-response-im_end-padding",
         "Read both numbers and add them.\n\n```python\n" + APLUSB_PY + "```<|im_end|><|endoftext|><|endoftext|>",
         APLUSB_PY, "python3", aplusb=True),
    Case("llama3-eot_id",
         "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a competitive programmer."
         "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n" + _STATEMENT + "\n```\n1 2\n```\n```\n3\n```"
         "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n```python\n" + APLUSB_PY + "```<|eot_id|>",
         APLUSB_PY, "python3", aplusb=True),
    Case("mistral-inst-s",
         "<s>[INST] " + _STATEMENT + " Use C++. [/INST] Sure! Read two numbers, print the sum.\n```c++\n"
         + APLUSB_CPP + "```</s>",
         APLUSB_CPP, "cpp17", aplusb=True),
    Case("deepseek-r1-end-of-sentence",
         "<｜begin▁of▁sentence｜><｜User｜>" + _STATEMENT + " Answer in Python.<｜Assistant｜><think>\n"
         "I need two ints. Draft:\n```python\nprint(input())\n```\nNo, that prints the line; sum them.\n</think>\n\n"
         "```python\n" + APLUSB_PY + "```<｜end▁of▁sentence｜>",
         APLUSB_PY, "python3", aplusb=True, note="the draft inside <think> is not the answer"),
    Case("qwen3-think-in-query",
         "<|im_start|>user\n" + _STATEMENT + "<|im_end|>\n<|im_start|>assistant\n<think>\nTry:\n```python\n"
         + _WRONG_PY + "```\nThat subtracts. Fix it.\n</think>\n\n```python\n" + APLUSB_PY
         + "```<|im_end|>\n<|endoftext|>",
         APLUSB_PY, "python3", aplusb=True),
    Case("gpt-oss-harmony-final-channel",
         "<|start|>assistant<|channel|>analysis<|message|>Sum them, e.g.\n```python\nprint(0)\n```<|end|>"
         "<|start|>assistant<|channel|>final<|message|>```python\n" + APLUSB_PY + "```<|return|>",
         APLUSB_PY, "python3", aplusb=True, note="the analysis channel is reasoning"),
    Case("closing-fence-then-prose",
         "```python\n" + APLUSB_PY + "``` Hope this helps!",
         APLUSB_PY, "python3", aplusb=True),
    Case("closing-fence-then-unknown-special-token",
         "Solution:\n```cpp\n" + APLUSB_CPP + "```<|end_of_answer|>",
         APLUSB_CPP, "cpp17", aplusb=True, note="any <|...|> token is not part of the answer"),
    Case("end-token-before-closing-fence",
         "```python\n" + APLUSB_PY + "<|im_end|>",
         APLUSB_PY, "python3", truncated=True, aplusb=True,
         note="the turn ended without a closing fence: the code up to the end token is the program"),
    Case("closing-fence-glued-to-code",
         "```cpp\n" + APLUSB_CPP[:-1] + "```",
         APLUSB_CPP, "cpp17", aplusb=True, note='"}```": the last code line carries the fence'),

    # ---- R1-style answers: reasoning, the answer, then sample input/output
    Case("r1-think-code-then-unlabelled-sample-output",
         "<think>\nOkay, A+B. In C++:\n```cpp\nint main(){}\n```\nBut Python is shorter.\n</think>\n\n"
         "Approach: read the two integers and print their sum.\n\n```python\n" + APLUSB_PY + "```\n\n"
         "For the sample input:\n\n```\n1 2\n```\n\nthe program prints:\n\n```\n3\n```\n",
         APLUSB_PY, "python3", aplusb=True),
    Case("r1-answer-tags",
         "<think>\nJust add.\n</think>\n<answer>\n```python\n" + APLUSB_PY + "```\n</answer>",
         APLUSB_PY, "python3", aplusb=True),
    Case("sample-io-labelled-input-output",
         "```cpp\n" + APLUSB_CPP + "```\n\n**Input**\n```input\n3 4\n```\n**Output**\n```output\n7\n```\n",
         APLUSB_CPP, "cpp17", aplusb=True),
    Case("sample-io-labelled-text-plaintext",
         "```python\n" + APLUSB_PY_SYS + "```\n\nExample run:\n```text\n$ echo 1 2 | python3 a.py\n```\n"
         "```plaintext\n3\n```",
         APLUSB_PY_SYS, "python3", aplusb=True),
    Case("sample-output-words-unlabelled",
         "```python\nfor _ in range(int(input())):\n    print('YES' if int(input()) % 2 == 0 else 'NO')\n```\n"
         "Output for the sample:\n```\nYES\nNO\nYES\n```",
         "for _ in range(int(input())):\n    print('YES' if int(input()) % 2 == 0 else 'NO')\n", "python3"),
    Case("hint-with-trailing-sample-output",
         "```\n" + APLUSB_CPP + "```\nOutput:\n```\n7\n```", APLUSB_CPP, "cpp17", language="cpp", aplusb=True,
         note="with a hint, the unlabelled block is in the hint's language, but the sample block is still data"),
    Case("think-never-closed",
         "<think>\nLet me write it:\n```python\n" + APLUSB_PY + "```\nHmm, but what about negative numbers? "
         "Python handles them. Let me also check", None,
         reason="never closes", note="truncated reasoning: the model never gave its answer"),
    Case("code-only-inside-think",
         "<think>\n```python\n" + APLUSB_PY + "```\n</think>\n\nThe code above solves it.", None,
         reason="after the reasoning", note="drafts in <think> are not the answer"),
    Case("think-close-only",
         "Okay, the task is A+B.\n```python\nprint(0)\n```\nNo, sum them.\n</think>\n\n```python\n"
         + APLUSB_PY + "```",
         APLUSB_PY, "python3", aplusb=True, note="the template put <think> in the prompt"),

    # ---- labels
    Case("label-C++17", "```C++17\n" + APLUSB_CPP + "```", APLUSB_CPP, "cpp17", aplusb=True),
    Case("label-py", "```py\n" + APLUSB_PY + "```", APLUSB_PY, "python3", aplusb=True),
    Case("label-python3-info-string", '```python3 title="a.py"\n' + APLUSB_PY + "```", APLUSB_PY, "python3",
         aplusb=True),
    Case("label-java", "Java solution:\n```java\n" + APLUSB_JAVA + "```", APLUSB_JAVA, "java17", aplusb=True),
    Case("label-pypy", "```pypy\n" + APLUSB_PY + "```", APLUSB_PY, "pypy3", aplusb=True),
    Case("hint-pypy3-over-python-label", "```python\n" + APLUSB_PY + "```", APLUSB_PY, "pypy3", language="pypy3",
         aplusb=True, note="the hint's dialect wins within a family"),
    Case("hint-mismatch", "```python\n" + APLUSB_PY + "```", None, language="cpp", reason="not cpp17"),
    Case("label-bash-only", "Compile and run:\n```bash\ng++ -O2 a.cpp && ./a.out < in.txt\n```", None,
         reason="judged language"),

    # ---- no label: the language is inferred
    Case("unlabelled-cpp", "```\n" + APLUSB_CPP + "```", APLUSB_CPP, "cpp17", aplusb=True),
    Case("unlabelled-python", "Solution:\n```\n" + APLUSB_PY_SYS + "```\n", APLUSB_PY_SYS, "python3", aplusb=True),
    Case("unlabelled-c", "```\n" + APLUSB_C + "```", APLUSB_C, "c17", aplusb=True),
    Case("unlabelled-java", "```\n" + APLUSB_JAVA + "```", APLUSB_JAVA, "java17", aplusb=True),
    Case("unlabelled-pseudocode", "```\nread a, b\nprint a + b\n```", "read a, b\nprint a + b\n", None,
         note="a block that reads as code but in no language we know: found, not judgeable"),

    # ---- fence shapes
    Case("indented-fence-in-list-item",
         "1. Read the input.\n2. Print the sum:\n\n   ```python\n" + _indent(APLUSB_PY, 3) + "   ```\n",
         APLUSB_PY, "python3", aplusb=True),
    Case("indented-fence-nested-indent",
         "- The code:\n    ```python\n" + _indent(APLUSB_PY_SYS, 4) + "    ```\n- Complexity: O(1).",
         APLUSB_PY_SYS, "python3", aplusb=True, note="only the fence's indent is removed"),
    Case("opening-fence-mid-line", "Here it is: ```python\n" + APLUSB_PY + "```\n", APLUSB_PY, "python3",
         aplusb=True),
    Case("opening-fence-mid-line-bare", "Solution: ```\n" + APLUSB_PY + "```", APLUSB_PY, "python3", aplusb=True),
    Case("prose-mentions-a-fence",
         "Wrap your code in ```\nlike this:\n```cpp\n" + APLUSB_CPP + "```", APLUSB_CPP, "cpp17", aplusb=True,
         note="a bare fence ending a sentence is not an opening (only after a colon)"),
    Case("truncated-last-block",
         "```cpp\n#include <bits/stdc++.h>\nusing namespace std;\nint main() {\n    long long a, b;\n    cin >> a",
         "#include <bits/stdc++.h>\nusing namespace std;\nint main() {\n    long long a, b;\n    cin >> a",
         "cpp17", truncated=True, note="still the answer: it is judged as written (and will not compile)"),
    Case("stop-sequence-ate-closing-fence", "Here:\n```python\n" + APLUSB_PY, APLUSB_PY, "python3",
         truncated=True, aplusb=True, note='vLLM with stop=["```"] drops the closing fence'),
    Case("tilde-fence", "~~~python\n" + APLUSB_PY + "~~~\n", APLUSB_PY, "python3", aplusb=True),
    Case("four-backticks-holding-three",
         "````python\n# Sample:\n# ```\n# 1 2\n# ```\n" + APLUSB_PY + "````\n",
         "# Sample:\n# ```\n# 1 2\n# ```\n" + APLUSB_PY, "python3", aplusb=True),
    Case("markdown-example-then-answer",
         "Format your answer like this:\n````markdown\n```cpp\nyour code\n```\n````\nMine:\n```py\n"
         + APLUSB_PY + "```",
         APLUSB_PY, "python3", aplusb=True),
    Case("draft-then-fixed", "First attempt:\n```python\n" + _WRONG_PY + "```\nThat subtracts; fixed:\n```python\n"
         + APLUSB_PY + "```", APLUSB_PY, "python3", aplusb=True, note="the last code block is the answer"),
    Case("windows-newlines",
         "Here:\r\n```python\r\n" + APLUSB_PY.replace("\n", "\r\n") + "```\r\n",
         APLUSB_PY, "python3", aplusb=True, note="newlines come back as \\n"),

    # ---- no code
    Case("prose-only", "The answer is a + b: read the two numbers and print their sum.", None,
         reason="no code block"),
    Case("inline-triple-backticks", "Just use ```print(sum(map(int, input().split())))``` and you are done.", None,
         reason="no code block", note="inline code in a sentence is not a program block"),
    Case("empty-completion", "", None, reason="empty completion"),
    Case("only-sample-blocks", "For the input\n```\n1 2\n```\nthe output is\n```\n3\n```", None,
         reason="only sample input/output"),
    Case("empty-block", "```python\n```", None, reason="empty"),

    # ---- chat messages
    Case("chat-list-last-assistant-turn",
         [{"role": "system", "content": "You solve competitive programming problems."},
          {"role": "user", "content": _STATEMENT + "\n```\n1 2\n```"},
          {"role": "assistant", "content": "```cpp\nint main() {}\n```"},
          {"role": "user", "content": "It prints nothing. Fix it."},
          {"role": "assistant", "content": "Fixed:\n```cpp\n" + APLUSB_CPP + "```"}],
         APLUSB_CPP, "cpp17", aplusb=True),
    Case("chat-message-dict", {"role": "assistant", "content": "```py\n" + APLUSB_PY + "```"}, APLUSB_PY, "python3",
         aplusb=True),
]


def case(case_id: str) -> Case:
    """The case named `case_id`."""
    for item in CASES:
        if item.id == case_id:
            return item
    raise KeyError(case_id)


assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
