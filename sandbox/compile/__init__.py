"""Compile aids: what makes a compile cheaper without changing the program.

- `aid`: the hook a backend offers (`CompileAid`: extra flags, failure markers).
- `pch`, `pch_probe`: precompiled bits/stdc++.h per toolchain and flag set, and the probe
  that checks GCC really loads it in a box.
- `cache`: the bounded on-disk compile cache shared by processes; `file_lock` its lock.
"""
