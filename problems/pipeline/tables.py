"""Reading rows from wherever a user keeps them: JSON Lines, JSON, Parquet, a folder of
those, a local dataset folder, or a Hugging Face Hub dataset id.

Local files are read with pyarrow / json directly: that is much faster to start than
``datasets`` and keeps a resumed run cheap. ``datasets`` is used for Hub ids and for a
local dataset folder when a config is named, because then the folder's own ``configs``
decide which files belong to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["DATA_SUFFIXES", "InputError", "data_files", "display_name", "looks_like_hub_id", "read_rows"]

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
    return bool(_HUB_ID.match(spec)) and not Path(spec).exists()


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


def _read_file(path: Path) -> Iterator[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path)
        for batch in parquet.iter_batches(batch_size=256):
            yield from batch.to_pylist()
        return
    with open(path, encoding="utf-8") as handle:
        if suffix == ".json":
            text = handle.read()
            stripped = text.lstrip()
            if stripped.startswith("["):
                yield from json.loads(text)
                return
            lines = text.splitlines()
        else:
            lines = handle
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number}: not JSON: {exc}") from None


def _read_with_datasets(spec: str, config: str | None, split: str | None) -> Iterator[dict[str, Any]]:
    try:
        import datasets
    except ImportError:
        raise InputError(f"reading {spec!r} needs the 'datasets' package: pip install 'cpforge[dataset]'") from None
    try:
        loaded = datasets.load_dataset(spec, config, split=split)
    except Exception as exc:  # datasets raises many types: network, missing config, auth
        raise InputError(f"cannot load dataset {spec!r}" + (f" config {config!r}" if config else "")
                         + f": {type(exc).__name__}: {exc}") from None
    if isinstance(loaded, datasets.DatasetDict):
        for name in loaded:
            yield from loaded[name]
    else:
        yield from loaded


def read_rows(spec: str | Path, *, config: str | None = None, split: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a file, folder or Hub dataset, as plain dicts."""
    path = Path(spec)
    if path.is_file():
        if path.suffix.lower() not in DATA_SUFFIXES:
            raise InputError(f"{path}: expected a .jsonl, .json or .parquet file")
        yield from _read_file(path)
        return
    if path.is_dir():
        if config is not None:
            yield from _read_with_datasets(str(path), config, split)
            return
        files = data_files(path)
        if not files:
            raise InputError(f"{path}: no .jsonl/.json/.parquet files found")
        for file in files:
            yield from _read_file(file)
        return
    if looks_like_hub_id(str(spec)):
        yield from _read_with_datasets(str(spec), config, split)
        return
    raise InputError(f"{spec}: no such file or folder (and not a Hub dataset id like owner/name)")
