"""``build-dataset export``: a built dataset's ``problems`` config -> the prompt parquet an RL
framework trains on, one row per problem and prompt language.

* ``verl``: ``data_source``, ``prompt`` (a chat list), ``ability`` ("code"),
  ``reward_model`` ``{"style": "rule", "ground_truth": ...}`` and ``extra_info``
  (``split``, ``index``, ``problem_id``, ``language``, ...). ``ground_truth`` is the problem's
  ``verification_info`` JSON (self-contained: cpforge's `sandbox.rewards.verl.compute_score`
  judges it with no dataset at hand) or, with ``ground_truth="id"``, the problem id (then the
  reward needs the dataset: ``reward_kwargs: {problems: DIR}`` or a server started with
  ``--problems DIR``).
* ``trl``: ``prompt`` (a chat list, TRL's conversational format) and the columns
  `sandbox.rewards.trl.make_trl_reward` reads: ``verification_info``, ``problem_id``
  (also as ``id``) and ``language``.

The prompts are `problems.pipeline.prompts.statement_prompt`'s, the same text as the
``problems`` config's ``prompt`` column. Schemas live in `problems.pipeline.schema`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from problems.pipeline.prompts import prompt_language, statement_prompt

__all__ = ["DEFAULT_DATA_SOURCE", "ExportError", "ExportOptions", "ExportSummary", "export_training_data"]

DEFAULT_DATA_SOURCE = "cpforge/codeforces"
COVERAGE_LEVELS = ("full", "few_tests", "samples_only")
_BATCH_ROWS = 64  # problem rows carry every test; keep the reader's memory bounded


class ExportError(RuntimeError):
    """A failure to show the user as one line."""


class ExportOptions(BaseModel):
    format: Literal["verl", "trl"]
    split: str = "train"
    languages: list[str] = Field(default_factory=list, description="prompt languages; default: each problem's "
                                 "own `language` column (python when it has none)")
    data_source: str = DEFAULT_DATA_SOURCE
    ground_truth: Literal["tests", "id"] = "tests"
    verified_only: bool = False
    coverage: list[str] = Field(default_factory=lambda: list(COVERAGE_LEVELS))


class ExportSummary(BaseModel):
    out: str
    format: str
    rows: int = 0
    problems: int = 0
    languages: dict[str, int] = Field(default_factory=dict)
    skipped: dict[str, int] = Field(default_factory=dict, description="problems left out, by reason")

    def render(self) -> str:
        langs = ", ".join(f"{k} {v}" for k, v in sorted(self.languages.items()))
        lines = [f"{self.format}: {self.rows} rows ({self.problems} problems; {langs}) -> {self.out}"]
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"  left out: {count} problems ({reason})")
        return "\n".join(lines)


def _local_batches(folder: Path, split: str) -> Iterator[list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    files = sorted((folder / "data" / "problems").glob(f"{split}-*.parquet"))
    if not files:
        raise ExportError(f"{folder} has no `problems` config for split {split!r} (no data/problems/{split}-*.parquet):"
                          " pass a folder written by `build-dataset run`")
    for path in files:
        try:
            handle = pq.ParquetFile(path)
            for batch in handle.iter_batches(batch_size=_BATCH_ROWS):
                yield batch.to_pylist()
        except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError
            raise ExportError(f"{path}: not a readable Parquet file ({exc})") from None


def _hub_batches(spec: str, split: str) -> Iterator[list[dict[str, Any]]]:
    try:
        import datasets
    except ImportError as exc:
        raise ExportError(f"reading {spec} from the Hub needs `datasets`: pip install 'cpforge[dataset]' ({exc})") \
            from None
    try:
        loaded = datasets.load_dataset(spec, "problems", split=split)
    except Exception as exc:  # the Hub and datasets raise many kinds; the user needs one line
        raise ExportError(f"cannot load the `problems` config of {spec} (split {split!r}): "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    for start in range(0, loaded.num_rows, _BATCH_ROWS):
        yield loaded.select(range(start, min(start + _BATCH_ROWS, loaded.num_rows))).to_list()


def _problem_batches(spec: str, split: str) -> Iterator[list[dict[str, Any]]]:
    path = Path(spec)
    if path.is_dir():
        return _local_batches(path, split)
    if path.exists() or spec.count("/") != 1:
        raise ExportError(f"{spec}: not a dataset folder (expected the --out folder of `build-dataset run`, or a "
                          "Hub id OWNER/NAME)")
    return _hub_batches(spec, split)


def _skip_reason(row: dict[str, Any], options: ExportOptions) -> str | None:
    executable = row.get("executable")
    if executable is None:  # a folder built before the column existed
        executable = bool(row.get("verification_info"))
    if not executable or not row.get("verification_info"):
        return "not executable: no tests, or interactive without an interactor"
    if options.verified_only and not row.get("verified"):
        return "no verified solution (--verified-only)"
    if row.get("coverage") not in options.coverage:
        return f"coverage {row.get('coverage')} not in --coverage"
    if not isinstance(row.get("description"), str) or not row["description"].strip():
        return "no statement to prompt with"
    return None


def _export_row(row: dict[str, Any], language: str, prompt: str, index: int, options: ExportOptions) -> dict[str, Any]:
    column = prompt_language(language).column
    truth = row["verification_info"] if options.ground_truth == "tests" else row["id"]
    chat = [{"role": "user", "content": prompt}]
    if options.format == "verl":
        return {
            "data_source": options.data_source, "prompt": chat, "ability": "code",
            "reward_model": {"style": "rule", "ground_truth": truth},
            "extra_info": {"split": options.split, "index": index, "problem_id": row["id"], "language": column,
                           "testset_hash": row.get("testset_hash"), "coverage": row.get("coverage"),
                           "rating": row.get("rating"), "verified": row.get("verified")},
        }
    return {
        "prompt": chat, "id": row["id"], "problem_id": row["id"], "language": column,
        "verification_info": row["verification_info"] if options.ground_truth == "tests" else None,
        "testset_hash": row.get("testset_hash"), "coverage": row.get("coverage"), "rating": row.get("rating"),
    }


def export_training_data(dataset: str, out: Path, options: ExportOptions) -> ExportSummary:
    """Write ``out`` (Parquet, atomically) from the ``problems`` config of ``dataset`` (a
    folder written by ``build-dataset run``, or its Hub id)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from problems.pipeline.schema import EXPORT_SCHEMAS

    if out.suffix.lower() not in (".parquet", ".pq"):
        raise ExportError(f"--out must end in .parquet, got {out}")
    unknown = sorted(set(options.coverage) - set(COVERAGE_LEVELS))
    if unknown:
        raise ExportError(f"--coverage: unknown level(s) {', '.join(unknown)}; known: {', '.join(COVERAGE_LEVELS)}")
    for language in options.languages:
        try:
            prompt_language(language)
        except ValueError as exc:
            raise ExportError(f"--language: {exc}") from None
    schema = EXPORT_SCHEMAS[options.format]
    summary = ExportSummary(out=str(out), format=options.format)
    skipped: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            for batch in _problem_batches(dataset, options.split):
                rows: list[dict[str, Any]] = []
                for problem in batch:
                    reason = _skip_reason(problem, options)
                    if reason is not None:
                        skipped[reason] += 1
                        continue
                    summary.problems += 1
                    for language in options.languages or [problem.get("language") or "python"]:
                        prompt = statement_prompt(problem, language)
                        if prompt is None:  # _skip_reason checked the statement
                            continue
                        rows.append(_export_row(problem, language, prompt, summary.rows + len(rows), options))
                        languages[prompt_language(language).column] += 1
                if rows:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    summary.rows += len(rows)
        if summary.rows == 0:
            raise ExportError(f"nothing to export from {dataset}: " + (
                "; ".join(f"{count} problems {reason}" for reason, count in skipped.items()) or "no problems"))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    summary.skipped = dict(skipped)
    summary.languages = dict(languages)
    return summary
