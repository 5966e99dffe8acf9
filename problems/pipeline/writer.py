"""Writing configs in the Hub's dataset layout: ``data/<config>/<split>-0000K-of-0000N.parquet``.

That is the layout ``Dataset.push_to_hub`` produces, so the folder can be uploaded as is
and ``datasets.load_dataset(folder, config)`` reads it locally exactly as it will from the
Hub. The folder is built beside the target and swapped in at the end: a crash while
writing never leaves a half-written dataset under the final name.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = ["ConfigFiles", "OutputFolderError", "SPLIT", "check_output_folder", "publish", "staging_folder",
           "write_configs"]

SPLIT = "train"
MARKER = "<!-- built by cpforge build-dataset -->"
DEFAULT_MAX_SHARD_BYTES = 500 * 1024 * 1024  # the Hub's own default shard size
ROW_GROUP_ROWS = {"problems": 64, "verified": 1000, "all": 1000}
"""Rows per Parquet row group: problem rows carry every test in ``verification_info``, so
they get small groups to keep a reader's memory (and the Hub viewer's) bounded."""


class OutputFolderError(RuntimeError):
    """The output folder holds something that is not a dataset this tool wrote."""


class ConfigFiles(BaseModel):
    """What was written for one config (feeds the card's ``dataset_info``)."""

    name: str
    files: list[str]
    num_rows: int
    num_bytes: int
    download_size: int

    @property
    def glob(self) -> str:
        return f"data/{self.name}/{SPLIT}-*"


def check_output_folder(folder: Path) -> None:
    """Refuse to replace a folder this tool did not write (an empty one is fine)."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise OutputFolderError(f"{folder} exists and is not a folder")
    entries = [p for p in folder.iterdir() if p.name not in (".git", ".cache")]
    if not entries:
        return
    readme = folder / "README.md"
    if readme.is_file() and MARKER in readme.read_text(encoding="utf-8", errors="replace"):
        return
    raise OutputFolderError(f"{folder} is not empty and was not written by build-dataset; "
                            "pick another --out or empty it")


def staging_folder(folder: Path) -> Path:
    """A fresh folder beside ``folder`` to build in. Leftovers of runs killed while
    writing (``.NAME.staging-PID``, ``.NAME.old-PID``) are removed first: one run writes
    one output folder at a time."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    for pattern in (f".{folder.name}.staging-*", f".{folder.name}.old-*"):
        for leftover in folder.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
    staging = folder.with_name(f".{folder.name}.staging-{os.getpid()}")
    staging.mkdir()
    return staging


class _ConfigWriter:
    """One config's rows into Parquet shards as they come: a row group at a time, a new
    shard once the current one holds ``max_bytes`` of Arrow data. Shards get their final
    ``-of-N`` names at the end, when N is known."""

    def __init__(self, folder: Path, name: str, max_bytes: int) -> None:
        from problems.pipeline.schema import CONFIG_SCHEMAS

        self.folder, self.name, self.max_bytes = folder, name, max_bytes
        self.schema = CONFIG_SCHEMAS[name]
        self.directory = folder / "data" / name
        self.directory.mkdir(parents=True, exist_ok=True)
        self.group_rows = ROW_GROUP_ROWS.get(name, 1000)
        self.shards: list[Path] = []
        self.writer: Any = None
        self.shard_bytes = 0
        self.num_rows = 0
        self.num_bytes = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(rows, schema=self.schema)
        self.num_rows += table.num_rows
        self.num_bytes += table.nbytes
        while True:
            # As many rows as fit in the current shard (at their average size), at least one
            # when the shard is empty: a single huge row gets a shard of its own.
            per_row = table.nbytes / table.num_rows if table.num_rows else 0
            room = self.max_bytes - self.shard_bytes
            fits = table.num_rows if per_row == 0 else min(table.num_rows, int(room // per_row))
            if fits == 0 and self.shard_bytes:
                self._close_shard()
                continue
            part = table.slice(0, max(fits, 1)) if table.num_rows else table
            if self.writer is None:
                self.shards.append(self.directory / f".{SPLIT}-{len(self.shards):05d}.parquet.partial")
                self.writer = pq.ParquetWriter(self.shards[-1], self.schema, compression="zstd")
            self.writer.write_table(part, row_group_size=self.group_rows)
            self.shard_bytes += part.nbytes
            table = table.slice(part.num_rows)
            if not table.num_rows:
                return

    def _close_shard(self) -> None:
        self.writer.close()
        self.writer, self.shard_bytes = None, 0

    def finish(self) -> ConfigFiles:
        if not self.shards:  # no rows: one empty shard, so the config (and its schema) exists
            self.write([])
        if self.writer is not None:
            self._close_shard()
        files, size = [], 0
        for number, partial in enumerate(self.shards):
            path = self.directory / f"{SPLIT}-{number:05d}-of-{len(self.shards):05d}.parquet"
            partial.rename(path)
            files.append(path.relative_to(self.folder).as_posix())
            size += path.stat().st_size
        return ConfigFiles(name=self.name, files=files, num_rows=self.num_rows, num_bytes=self.num_bytes,
                           download_size=size)


def write_configs(folder: Path, configs: Mapping[str, Iterable[dict[str, Any]]],
                  max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES) -> dict[str, ConfigFiles]:
    """Write each config's rows under ``folder/data/<config>/`` with its fixed schema. The
    rows may be any iterable (`DatasetRows` builds them as they are read): they are written a
    row group at a time, so memory holds one group, never the config."""
    written: dict[str, ConfigFiles] = {}
    for name, rows in configs.items():
        writer = _ConfigWriter(folder, name, max_shard_bytes)
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= writer.group_rows:
                writer.write(batch)
                batch = []
        if batch:
            writer.write(batch)
        written[name] = writer.finish()
    return written


def publish(staging: Path, folder: Path) -> None:
    """Replace ``folder`` with ``staging``, keeping a ``.git`` checkout inside it if any."""
    folder = folder.resolve()
    if folder.exists():
        git = folder / ".git"
        if git.exists():
            os.replace(git, staging / ".git")
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, folder)
