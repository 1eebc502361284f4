#!/usr/bin/env python3
"""Times straightforward numpy MMD and energy distance on the shapes of `scorekit eval`.

"Straightforward" = what one would write with numpy: the full n x m squared-distance matrices
through one GEMM each, then element-wise exp / sqrt and a sum, in the data's precision
(float32 here). The definitions match ScoreKitMetrics exactly (see Metrics.maximumMeanDiscrepancy
and Metrics.energyDistance), so the printed values can be compared with ScoreKit's on the same
data: both sides use the deterministic inputs of ScoreKitBench's `filled(rows, cols, seed)`.

Usage: bench_metrics.py [--n 10000] [--d 64] [--threads 2]
Prints one JSON object per benchmark, like ScoreKitBench:
  {"name": "mmd 10000x64", "seconds": ..., "threads": 2, "value": ...}
`numpy_metric_times(n, d, threads)` returns {(name, threads): seconds} for scripts/bench.py.
"""
import argparse, json, time

def filled(rows, cols, seed, np):
    """ScoreKitBench's deterministic test matrix: ((7919 i + 104729 j + seed) mod 2001 - 1000) / 1000."""
    i = np.arange(rows, dtype=np.int64)[:, None]; j = np.arange(cols, dtype=np.int64)[None, :]
    return (((i * 7919 + j * 104729 + seed) % 2001 - 1000) / 1000).astype(np.float32)

def sqdist(a, b, np):
    d = (a * a).sum(1)[:, None] - 2 * (a @ b.T) + (b * b).sum(1)[None, :]
    return np.maximum(d, 0, out=d)

def median_bandwidth(x, y, np, limit=2000):
    """Median pairwise distance of the pooled sample (strided subsample of `limit` points above it)."""
    z = np.concatenate([x, y]); n = len(z)
    if n > limit: z = z[(np.arange(limit) * n) // limit]
    d = np.sqrt(sqdist(z, z, np)[np.triu_indices(len(z), 1)])
    return float(np.median(d))

def mmd(x, y, np):
    """Unbiased MMD^2 averaged over RBF bandwidths {0.5, 1, 2} x median heuristic."""
    n, m = len(x), len(y)
    h = median_bandwidth(x, y, np)
    dxx, dyy, dxy = sqdist(x, x, np), sqdist(y, y, np), sqdist(x, y, np)
    values = []
    for s in (0.5, 1.0, 2.0):
        g = np.float32(-1 / (2 * (s * h) ** 2))
        kxx, kyy, kxy = np.exp(g * dxx).sum(dtype=np.float64), np.exp(g * dyy).sum(dtype=np.float64), np.exp(g * dxy).sum(dtype=np.float64)
        values.append((kxx - n) / (n * (n - 1)) + (kyy - m) / (m * (m - 1)) - 2 * kxy / (n * m))
    return float(np.mean(values))

def energy(x, y, np):
    """Energy distance, V-statistic: 2 E|X-Y| - E|X-X'| - E|Y-Y'|."""
    mean = lambda a, b: np.sqrt(sqdist(a, b, np)).mean(dtype=np.float64)
    return float(2 * mean(x, y) - mean(x, x) - mean(y, y))

def best_time(fn, repeats=3):
    value, best = None, float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter(); value = fn(); best = min(best, time.perf_counter() - t0)
    return best, value

def run(n, d, threads):
    import numpy as np
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=threads, user_api="blas")
    except ImportError:
        pass  # numpy keeps its default BLAS threads
    x, y = filled(n, d, 1, np), filled(n, d, 2, np) * np.float32(1.1) + np.float32(0.05)
    rows = []
    for name, fn in ((f"mmd {n}x{d}", mmd), (f"energy distance {n}x{d}", energy)):
        seconds, value = best_time(lambda: fn(x, y, np))
        rows.append({"name": name, "seconds": seconds, "threads": threads, "value": value})
    return rows

def numpy_metric_times(n=10000, d=64, threads=2):
    return {(r["name"], r["threads"]): r["seconds"] for r in run(n, d, threads)}

if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=10000); p.add_argument("--d", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    for row in run(a.n, a.d, a.threads): print(json.dumps(row, sort_keys=True))
