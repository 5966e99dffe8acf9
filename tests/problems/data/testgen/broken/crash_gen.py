"""A generator that crashes on its arguments: the error case "broken generator"."""
import sys

raise SystemExit(f"crash_gen: cannot make a test of size {sys.argv[1]}")
