"""Reading rows from wherever a user keeps them: JSON Lines, JSON, Parquet, a folder of
those, a local dataset folder, or a Hugging Face Hub dataset id.

Local files are read with pyarrow / json directly: that is much faster to start than
``datasets`` and keeps a resumed run cheap. ``datasets`` is used for Hub ids and for a
local dataset folder when a config is named, because then the folder's own ``configs``
decide which files belong to it.

A file that cannot be read (a truncated or garbled Parquet file, JSON cut short, bytes
that are not UTF-8) raises one `InputError` naming the file, and the line or the last
good row where that is known: the user fixes the file, a traceback would not help. A
path that does not exist is only taken for a Hub id when it has the Hub's ``owner/name``
shape and nothing says it is local (a data-file suffix, ``./``, a folder that exists).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["DATA_SUFFIXES", "InputError", "data_files", "display_name", "looks_like_hub_id", "read_located_rows",
           "read_parquet_table", "read_rows", "value_kind"]

DATA_SUFFIXES = (".parquet", ".pq", ".jsonl", ".ndjson", ".json")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


class InputError(ValueError):
    """An input that cannot be read, with a message fit to show the user."""


def display_name(spec: str | Path) -> str:
    """How an input is named in the dataset: a local path by its last component only (the
    dataset may be public, and the builder's directories are nobody's business), a Hub id
    as it is."""
    path = Path(spec)
    return path.name if path.exists() else str(spec)


def looks_like_hub_id(spec: str) -> bool:
    """Whether a spec that is no local path names a Hub dataset. A name ending like a data
    file, or one inside a folder that exists here, is a mistyped local path: asking the
    Hub about it would only turn a clear "no such file" into a network error."""
    if not _HUB_ID.match(spec) or Path(spec).exists():
        return False
    owner, name = spec.split("/")
    return not name.lower().endswith(DATA_SUFFIXES) and not Path(owner).is_dir()


def value_kind(value: Any) -> str:
    """What a row value is, in the words of JSON, for messages about malformed rows."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    kinds = {str: "text", list: "a list", tuple: "a list", dict: "an object", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)


def _reason(exc: BaseException) -> str:
    """An exception's message on one line."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _parquet_error(path: Path, exc: BaseException, rows_read: int | None = None) -> InputError:
    where = f" after row {rows_read}" if rows_read else ""
    return InputError(f"{path}: not a readable Parquet file{where}: {_reason(exc)}")


def _arrow_errors() -> tuple[type[BaseException], ...]:
    """What pyarrow raises for a damaged file: ArrowException (ArrowInvalid is also a
    ValueError) and OSError for an unreadable page."""
    import pyarrow as pa

    return (pa.ArrowException, OSError)


def read_parquet_table(path: Path, columns: list[str] | None = None) -> Any:
    """A whole Parquet file (or some of its columns) as a pyarrow Table."""
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path, columns=columns)
    except _arrow_errors() as exc:
        raise _parquet_error(path, exc) from None


def _read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    """Rows in batches; a page that cannot be decoded is reported with the rows before it."""
    import pyarrow.parquet as pq

    errors = _arrow_errors()
    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=256)
    except errors as exc:
        raise _parquet_error(path, exc) from None
    done = 0
    while True:
        try:
            batch = next(batches, None)
            rows = batch.to_pylist() if batch is not None else None
        except errors as exc:
            raise _parquet_error(path, exc, done) from None
        if rows is None:
            return
        yield from rows
        done += len(rows)


def _read_json_lines(path: Path) -> Iterator[Any]:
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}:{number}: not UTF-8 text ({exc.reason} at byte {exc.start} of the line)"
                                 ) from None
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number}: not JSON: {exc}") from None


def _read_json(path: Path) -> Iterator[Any]:
    """A .json file: one array of rows, or JSON Lines under a .json name."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not text.lstrip().startswith("["):
        yield from _read_json_lines(path)
        return
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not JSON: {exc.msg} (column {exc.colno})") from None
    yield from rows


def data_files(folder: Path, exclude: tuple[str, ...] = ("generated_tests",)) -> list[Path]:
    """Data files under a folder, in a stable order, skipping folders named in
    ``exclude`` (open-r1 keeps its generated tests beside the problems)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in DATA_SUFFIXES:
            continue
        parts = path.relative_to(folder).parts
        if any(part in exclude or part.startswith(".") for part in parts[:-1]) or path.name.startswith("."):
            continue
        found.append(path)
    return found


def _read_file(path: Path) -> Iterator[Any]:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        yield from _read_parquet(path)
    elif suffix == ".json":
        yield from _read_json(path)
    else:
        yield from _read_json_lines(path)


def _read_with_datasets(spec: str, config: str | None, split: str | None) -> Iterator[dict[str, Any]]:
    try:
        import datasets
    except ImportError:
        raise InputError(f"reading {spec!r} needs the 'datasets' package: pip install 'cpforge[dataset]'") from None
    try:
        loaded = datasets.load_dataset(spec, config, split=split)
    except Exception as exc:  # datasets raises many types: network, missing config, auth
        local = "" if Path(spec).exists() else " (and there is no local file or folder of that name)"
        raise InputError(f"cannot load dataset {spec!r}" + (f" config {config!r}" if config else "")
                         + f"{local}: {type(exc).__name__}: {_reason(exc)}") from None
    if isinstance(loaded, datasets.DatasetDict):
        for name in loaded:
            yield from loaded[name]
    else:
        yield from loaded


def read_rows(spec: str | Path, *, config: str | None = None, split: str | None = None) -> Iterator[Any]:
    """Rows of a file, folder or Hub dataset, as plain dicts: whatever the file holds, in
    fact (a JSON line may be a list), so each reader checks a row's shape."""
    for _, _, row in read_located_rows(spec, config=config, split=split):
        yield row


def read_located_rows(spec: str | Path, *, config: str | None = None,
                      split: str | None = None) -> Iterator[tuple[str, int, Any]]:
    """(where, number, row) for each row: `where` is the file it was read from (inside a
    folder, that folder's file) or the dataset, `number` its row there, from 0. A row
    that turns out to be malformed can then be named by file and row."""
    path = Path(spec)
    if path.is_file():
        if path.suffix.lower() not in DATA_SUFFIXES:
            raise InputError(f"{path}: expected a .jsonl, .json or .parquet file")
        for number, row in enumerate(_read_file(path)):
            yield str(spec), number, row
        return
    if path.is_dir():
        if config is not None:
            for number, row in enumerate(_read_with_datasets(str(path), config, split)):
                yield f"{spec} (config {config})", number, row
            return
        files = data_files(path)
        if not files:
            raise InputError(f"{path}: no .jsonl/.json/.parquet files found")
        for file in files:
            for number, row in enumerate(_read_file(file)):
                yield str(file), number, row
        return
    if looks_like_hub_id(str(spec)):
        for number, row in enumerate(_read_with_datasets(str(spec), config, split)):
            yield str(spec), number, row
        return
    raise InputError(f"{spec}: no such file or folder{_missing_hint(str(spec))}")


def _missing_hint(spec: str) -> str:
    """Why a missing path was not taken for a Hub id, where a user might expect it to be."""
    if "/" not in spec and not spec.lower().endswith(DATA_SUFFIXES):
        return " (nor a Hub dataset id, which reads owner/name)"
    owner = spec.split("/", 1)[0]
    if _HUB_ID.match(spec) and Path(owner).is_dir() and not spec.lower().endswith(DATA_SUFFIXES):
        return f" (not looked up on the Hub: {owner}/ is a local folder here)"
    return ""
