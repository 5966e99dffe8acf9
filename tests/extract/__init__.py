"""Extraction tests; `completion_cases` is the shared table (import it as
`from extract.completion_cases import CASES`: pytest puts tests/ on sys.path)."""
