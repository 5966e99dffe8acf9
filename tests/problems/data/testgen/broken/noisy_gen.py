"""A generator that seeds itself from the clock, not from its arguments: two runs differ."""
import time

print(1, 2)
print(time.time_ns() % 1000000 + 1)
