"""gen_pairs N MAXV K SEED MODE: N values in 1..MAXV (rand) or all equal to K/2 (equal); the
seed is an argument, so the same command always writes the same test."""
import random
import sys

n, maxv, k, seed = (int(x) for x in sys.argv[1:5])
mode = sys.argv[5]
rng = random.Random(seed)
if mode == "equal":
    values = [k // 2] * n
elif mode == "rand":
    values = [rng.randint(1, maxv) for _ in range(n)]
else:
    sys.exit(f"unknown mode {mode}")
sys.stdout.write(f"{n} {k}\n{' '.join(map(str, values))}\n")
