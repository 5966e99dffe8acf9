"""Tests you can trust: generate a problem's tests the way problem setters do (generators,
a validator, a main solution, accepted ones that must agree) and measure how strong a test
set is (TPR: known-correct solutions that pass; TNR: known-wrong ones that fail).

One job per module: `tags` (the tag vocabulary), `sidecar` (cpforge's testset.json),
`solutions` (finding tagged solutions in a directory), `plan` / `polygon_plan` /
`cpforge_plan` (what a package says to generate), `programs` (compiling and running its
programs in the sandbox), `generate` (the generation run), `writer` (the output
directory, written atomically), `strength` (the measurement) and `report` (its tables)."""

from problems.testsets.errors import TestsetError

__all__ = ["TestsetError"]
