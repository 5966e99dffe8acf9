"""Writing configs in the Hub's dataset layout: ``data/<config>/<split>-0000K-of-0000N.parquet``.

That is the layout ``Dataset.push_to_hub`` produces, so the folder can be uploaded as is
and ``datasets.load_dataset(folder, config)`` reads it locally exactly as it will from the
Hub. The folder is built beside the target and swapped in at the end: a crash while
writing never leaves a half-written dataset under the final name.
"""

from __future__ import annotations

import math
import os
import shutil
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


def _shards(table: Any, max_bytes: int) -> list[Any]:
    count = max(1, math.ceil(table.nbytes / max_bytes)) if table.num_rows else 1
    per_shard = max(1, math.ceil(table.num_rows / count))
    shards = [table.slice(start, per_shard) for start in range(0, table.num_rows, per_shard)]
    return shards or [table]


def write_configs(folder: Path, configs: dict[str, list[dict[str, Any]]],
                  max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES) -> dict[str, ConfigFiles]:
    """Write each config's rows under ``folder/data/<config>/`` with its fixed schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from problems.pipeline.schema import CONFIG_SCHEMAS

    written: dict[str, ConfigFiles] = {}
    for name, rows in configs.items():
        schema = CONFIG_SCHEMAS[name]
        table = pa.Table.from_pylist(rows, schema=schema)
        shards = _shards(table, max_shard_bytes)
        directory = folder / "data" / name
        directory.mkdir(parents=True, exist_ok=True)
        files = []
        size = 0
        for number, shard in enumerate(shards):
            path = directory / f"{SPLIT}-{number:05d}-of-{len(shards):05d}.parquet"
            pq.write_table(shard, path, compression="zstd", row_group_size=ROW_GROUP_ROWS.get(name, 1000))
            files.append(path.relative_to(folder).as_posix())
            size += path.stat().st_size
        written[name] = ConfigFiles(name=name, files=files, num_rows=table.num_rows, num_bytes=table.nbytes,
                                    download_size=size)
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
