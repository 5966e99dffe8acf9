"""The one error of this package: bad input or a package that cannot give trustworthy
tests. Its message is a single line meant for the user, naming the file or the test."""

from __future__ import annotations


class TestsetError(Exception):
    """A package or problem directory that cannot be generated or measured, and why."""

    __test__ = False  # not a pytest test class, despite the name
