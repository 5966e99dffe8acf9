"""The dataset card: ``README.md`` with the YAML front matter the Hub and ``datasets`` read
(``configs``/``data_files``, ``dataset_info``, license, task categories, size, tags), then
prose that says where the data came from and how every verdict was earned.

The YAML blocks are produced by ``huggingface_hub.DatasetCardData`` and the ``datasets``
classes that ``push_to_hub`` itself uses, so the card matches what the Hub would write.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field

from problems.pipeline.plot import PLOT_FILE, rating_plot
from problems.pipeline.stats import DatasetStats, PassRate
from problems.pipeline.writer import MARKER, SPLIT, ConfigFiles

__all__ = ["CardContext", "DEFAULT_CONFIG", "write_card", "yaml_header"]

DEFAULT_CONFIG = "verified"
_DESCRIPTIONS = {
    "problems": "normalised problems with their tests, checker and `verification_info` (one row per problem)",
    "verified": "accepted solutions, one row per distinct solution of a problem",
    "all": "every candidate row with its status, verdict and per-test summary",
}


class CardContext(BaseModel):
    """What the card says beyond the rows' own counts."""

    pretty_name: str = "cpforge verified competitive-programming solutions"
    license: str = "cc-by-4.0"
    problem_sources: list[str] = Field(default_factory=list)
    candidate_sources: list[str] = Field(default_factory=list)
    skipped_inputs: list[str] = Field(default_factory=list)
    min_tests: int = 5
    below_min: str = "label"
    stop_on_first_failure: bool = True
    backend: str = ""
    toolchains: dict[str, str | None] = Field(default_factory=dict)
    repo_id: str | None = Field(default=None, description="the Hub dataset it is pushed to (--push-to)")
    folder: str = Field(default="cpforge-dataset", description="the local folder, named when there is no repo")

    @property
    def dataset_path(self) -> str:
        """What the card's snippets load: the Hub repo, else the local folder."""
        return self.repo_id or self.folder


def _size_category(rows: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if rows < limit:
            return label
    return "10M<n<100M"


def yaml_header(files: dict[str, ConfigFiles], context: CardContext) -> str:
    import datasets
    from datasets.info import DatasetInfo, DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    from problems.pipeline.schema import CONFIG_SCHEMAS

    largest = max((f.num_rows for f in files.values()), default=0)
    card = DatasetCardData(
        license=context.license, language=["en"], pretty_name=context.pretty_name,
        task_categories=["text-generation"], size_categories=[_size_category(largest)],
        tags=["code", "competitive-programming", "codeforces", "verified", "cpforge"],
    )
    MetadataConfigs({
        name: {
            "data_files": [{"split": SPLIT, "path": f.glob}],
            **({"default": True} if name == DEFAULT_CONFIG else {}),
        }
        for name, f in files.items()
    }).to_dataset_card_data(card)
    infos = {}
    for name, f in files.items():
        features = datasets.Features.from_arrow_schema(CONFIG_SCHEMAS[name])
        splits = datasets.SplitDict()
        splits.add(datasets.SplitInfo(name=SPLIT, num_bytes=f.num_bytes, num_examples=f.num_rows))
        infos[name] = DatasetInfo(features=features, splits=splits, download_size=f.download_size,
                                  dataset_size=f.num_bytes, config_name=name)
    DatasetInfosDict(infos).to_dataset_card_data(card)
    return card.to_yaml()


def _pct(rate: PassRate) -> str:
    return f"{100 * rate.rate:.1f}%"


def _table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _limits(stats: DatasetStats) -> str:
    parts = []
    if stats.time_limits:
        low, high = stats.time_limits
        parts.append(f"time {low:g} s" if low == high else f"time {low:g}-{high:g} s")
    if stats.memory_limits:
        low, high = stats.memory_limits
        parts.append(f"memory {low:g} MB" if low == high else f"memory {low:g}-{high:g} MB")
    return ", ".join(parts) or "the defaults (2 s, 256 MB)"


def prose(files: dict[str, ConfigFiles], stats: DatasetStats, context: CardContext) -> str:
    sections: list[str] = [f"# {context.pretty_name}", ""]
    sections.append(
        "Competitive-programming problems with candidate solutions that were compiled and run against the "
        "problems' tests in a sandbox. Built with cpforge's `build-dataset run` on "
        + datetime.now(timezone.utc).strftime("%Y-%m-%d") + ".")
    sections += ["", "## Configs", ""]
    sections.append(_table(["config", "rows", "contents"],
                           [[f"`{name}`", f.num_rows, _DESCRIPTIONS[name]] for name, f in files.items()]))
    path = json.dumps(context.dataset_path)
    sections += ["", "```python", "from datasets import load_dataset", "",
                 f'verified = load_dataset({path}, "verified", split="{SPLIT}")',
                 f'problems = load_dataset({path}, "problems", split="{SPLIT}")',
                 "",
                 "# each verified solution with the tests it was judged on (join on `id`)",
                 'tests = dict(zip(problems["id"], problems["official_tests"]))',
                 'verified = verified.map(lambda row: {"official_tests": tests[row["id"]]})',
                 "```", ""]
    if context.repo_id is None:
        sections += ["(A local folder: after `build-dataset run --push-to OWNER/NAME`, the card names that repo.)",
                     ""]
    sections.append(
        "Column names follow [`open-r1/codeforces`](https://huggingface.co/datasets/open-r1/codeforces) where they "
        "overlap. In `problems`, `official_tests` (a list of `{input, output}`) holds every test the verdicts were "
        "earned on, in judging order, whatever its provenance (the `tests_*` columns count those), so "
        "`generated_tests` is 0: there are no separate generated-test files to add. `executable` is true when a "
        "solution can be judged (the problem has tests, and an interactor if it is interactive). `prompt` is a "
        "statement prompt in open-r1's style (task, statement, limits, formats, examples, note) asking for a "
        "solution in `language`. `verified` rows carry the problem's `id` and the `testset_hash` they were judged "
        "on, equal to the problem row's. `verification_info` (in `problems`) is a JSON string in the reward format "
        "read by open-r1-style "
        "reward functions and by cpforge's reward server: `{\"test_cases\": [{\"input\", \"output\", \"type\": "
        "\"stdin_stdout\", \"name\", \"is_sample\"}], \"time_limit\", \"memory_limit\", \"problem_id\"}`, plus "
        "`generated_checker`, `checker`, `interactor` or `input_mode` when the problem needs them. It is a string, "
        "not a struct, so the schema stays the same whichever of those optional keys a problem has.")
    sections += ["", "## Training on it", "",
                 "`build-dataset export` (cpforge) writes the prompt parquet each RL framework reads, one row per "
                 "problem and language, scored by cpforge's reward functions:", "",
                 "```bash",
                 f"build-dataset export {context.dataset_path} --format verl --out train.verl.parquet   "
                 "# data_source, prompt (chat), ability, reward_model.ground_truth, extra_info",
                 f"build-dataset export {context.dataset_path} --format trl --out train.trl.parquet     "
                 "# prompt (chat), verification_info, problem_id, language",
                 "```"]
    sections += ["", "## Sources", ""]
    sections += [f"- Problems: {', '.join(f'`{s}`' for s in context.problem_sources) or 'none'}",
                 f"- Candidate solutions: {', '.join(f'`{s}`' for s in context.candidate_sources) or 'none'}"]
    if context.skipped_inputs:
        sections.append(f"- Inputs that could not be used: {len(context.skipped_inputs)} (first: "
                        f"{'; '.join(context.skipped_inputs[:5])})")
    sections += ["",
                 "Tests by provenance (after removing exact repeats, e.g. an official test equal to an example):",
                 ""]
    labels = {"statement": "statement examples (samples)", "official": "`official_tests`",
              "generated": "generated tests (open-r1 per-contest Parquet)",
              "directory": "problem directories / Polygon packages"}
    sections.append(_table(["provenance", "tests"], [[labels[k], stats.tests_by_origin.get(k, 0)] for k in labels]))
    sections += ["", "## How verification was done", ""]
    toolchains = (
        "; ".join(f"{lang}: `{version}`" for lang, version in sorted(context.toolchains.items())) or "none used"
    )
    if not context.backend:
        sandbox = "not started (nothing to judge)."
    elif "UNSAFE" in context.backend:
        sandbox = f"{context.backend}: programs ran WITHOUT isolation, under rlimits only."
    else:
        sandbox = (f"{context.backend}: each program runs in its own namespaces (no network, read-only system "
                   "directories, private writable tmpfs) under hard CPU-time, memory, process and output limits.")
    sections += [
        f"- **Sandbox:** {sandbox}",
        f"- **Limits:** each problem's own ({_limits(stats)}); CPU time decides TLE.",
        f"- **Toolchains:** {toolchains}.",
        "- **Checking:** tokens compared exactly unless the problem has its own checker (open-r1's generated "
        "Python checker, a testlib checker, or a tolerance checker); a broken checker is a judge error, never WA.",
        "- **Verdict:** " + ("judging stops at the first failed test (samples run first)"
                             if context.stop_on_first_failure else "every test is run") +
        "; a solution is accepted (`AC`) only when it passes every test of its problem.",
        f"- **Coverage:** a problem is `full` with at least {context.min_tests} tests beyond the statement samples, "
        "`few_tests` with fewer, `samples_only` with none; every solution row carries its problem's `coverage`, "
        "and `samples_only` marks solutions verified on the statement samples alone."
        + (" Problems below the minimum were not judged." if context.below_min == "skip" else ""),
        "- **Identity:** a verdict is keyed by problem, test-set hash (tests, order, checker), language, code hash, "
        "limits, toolchain version and options; identical candidates are judged once (`duplicate_of` in `all`).",
    ]
    sections += ["", "## Results", ""]
    sections.append(_table(["what", "count"], [
        ["problems", stats.problems], ["problems with a verified solution", stats.verified_problems],
        ["candidate rows", stats.candidates], ["distinct candidates judged", stats.distinct_judged],
        ["verified solutions (distinct)", stats.verified_solutions],
    ]))
    sections += ["", "Candidates by status and verdict:", ""]
    verdict_rows = [[f"verdict `{k}`", v] for k, v in sorted(stats.verdicts.items())]
    status_rows = [[f"status `{k}`", v] for k, v in sorted(stats.status.items()) if k not in ("judged", "error")]
    sections.append(_table(["verdict or status", "candidates"], verdict_rows + status_rows))
    if stats.no_code_reasons:
        sections += ["", "Rows without code to judge (kept in `all` with `status = no_code`):", ""]
        reasons = sorted(stats.no_code_reasons.items(), key=lambda kv: -kv[1])
        sections.append(_table(["reason", "rows"], reasons))
    if stats.by_language:
        sections += ["", "Pass rate by language (judged candidate rows):", ""]
        sections.append(_table(["language", "judged", "accepted", "pass rate"],
                               [[k, v.judged, v.accepted, _pct(v)] for k, v in stats.by_language.items()]))
    if stats.by_rating:
        sections += ["", "Pass rate by problem rating:", ""]
        sections.append(_table(["rating", "judged", "accepted", "pass rate"],
                               [[k, v.judged, v.accepted, _pct(v)] for k, v in stats.by_rating.items()]))
    sections += ["", "Coverage of the problems:", ""]
    sections.append(_table(["coverage", "problems"], sorted(stats.coverage.items())))
    if stats.below_minimum:
        shown = ", ".join(stats.below_minimum[:40]) + (" ..." if len(stats.below_minimum) > 40 else "")
        sections += ["", f"Problems with fewer than {context.min_tests} tests beyond the samples: {shown}"]
    sections += ["", "Test strength: the share of each problem's known-wrong candidates (those whose source expected "
                 "WA, TLE, MLE, RE, ...) that its tests rejected (`strength_tnr` in `problems`, `test_strength` in "
                 f"`verified`). {stats.slipped_wrong} known-wrong candidates were accepted.", ""]
    sections.append(_table(["strength", "problems"], list(stats.strength.items())))
    if stats.weak_problems:
        shown = ", ".join(stats.weak_problems[:40]) + (" ..." if len(stats.weak_problems) > 40 else "")
        sections += ["", f"Problems with weak tests (below --min-strength; their solutions are not in `verified`): "
                         f"{shown}"]
    sections += ["", "## Rating distribution of verified problems", "",
                 f"![Rating distribution of verified problems]({PLOT_FILE})", "", MARKER, ""]
    return "\n".join(sections)


def write_card(folder: Path, files: dict[str, ConfigFiles], stats: DatasetStats, context: CardContext) -> Path:
    """Write ``README.md`` and the plot it embeds into ``folder``."""
    rating_plot(stats.verified_ratings, folder / PLOT_FILE)
    text = "---\n" + yaml_header(files, context).rstrip("\n") + "\n---\n\n" + prose(files, stats, context)
    path = folder / "README.md"
    path.write_text(text, encoding="utf-8")
    return path
