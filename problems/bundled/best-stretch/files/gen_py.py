"""gen_py N MAXV SEED: N values in -MAXV..MAXV with long positive runs (the seed is the third argument)."""
import random
import sys

n, maxv, seed = (int(x) for x in sys.argv[1:4])
rng = random.Random(seed)
values = [rng.randint(0, maxv) if (i // 50) % 2 else rng.randint(-maxv, maxv) for i in range(n)]
print(n)
print(" ".join(map(str, values)))
