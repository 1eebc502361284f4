#!/usr/bin/env python3
"""Times numpy on the shapes ScoreKitBench uses, in the same run, and prints both side by side.

Usage: bench.py SCOREKIT_JSON_LINES. Thread counts for numpy are set through threadpoolctl when it
is installed; otherwise numpy runs with its default threads and the table says so.
"""
import json, os, sys, time

def median_time(fn, repeats=7):
    fn()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps): fn()
        if time.perf_counter() - t0 >= 0.05 or reps >= 1 << 16: break
        reps *= 2
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(reps): fn()
        ts.append((time.perf_counter() - t0) / reps)
    return sorted(ts)[repeats // 2]

def numpy_times():
    try:
        import numpy as np
    except ImportError:
        return {}, "numpy not installed"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    rng = np.random.default_rng(0)
    out = {}
    for threads in (2, 1):  # ends limited to 1 thread, like ScoreKit's single-thread kernels below
        if threadpool_limits: threadpool_limits(limits=threads, user_api="blas")
        for (m, k, n) in [(1024, 1024, 1024), (256, 4096, 64)]:
            a = rng.uniform(-1, 1, (m, k)).astype(np.float32); b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
            out[(f"sgemm {m}x{k}x{n}", threads)] = median_time(lambda: a @ b)
    x = (rng.uniform(-1, 1, (4096, 256)) * 10).astype(np.float32)
    def softmax():
        e = np.exp(x - x.max(axis=1, keepdims=True)); e /= e.sum(axis=1, keepdims=True); return e
    out[("softmax rows 4096x256", 1)] = median_time(softmax)
    xs = rng.uniform(-1, 1, (1024, 64)).astype(np.float32); ys = rng.uniform(-1, 1, (4096, 64)).astype(np.float32)
    def sqdist():
        d = (xs * xs).sum(1)[:, None] - 2 * xs @ ys.T + (ys * ys).sum(1)[None, :]
        return np.maximum(d, 0, out=d)
    out[("pairwise sqdist 1024x4096 d=64", 1)] = median_time(sqdist)
    out[("normals float32 1M", 1)] = median_time(lambda: rng.standard_normal(1 << 20, dtype=np.float32))
    note = f"numpy {np.__version__}" + ("" if threadpool_limits else " (threadpoolctl missing: numpy used its default BLAS threads)")
    return out, note

def main():
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    info = next((r["info"] for r in rows if "info" in r), {})
    np_t, note = numpy_times()
    print(f"ScoreKit BLAS core: {info.get('blas_core')}, kernels: {info.get('kernels')}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')} (same for both sides); {note}")
    print(f"{'benchmark':34} {'thr':>3} {'ScoreKit':>11} {'numpy':>11} {'speed-up':>9}  rate")
    for r in rows:
        if "name" not in r: continue
        ours = r["seconds"]; base = np_t.get((r["name"], r["threads"]))
        rate = f"{r['gflops']:.1f} GF/s" if "gflops" in r else f"{r['mitems_per_s']:.0f} M/s"
        b = f"{base*1e3:9.3f}ms" if base else "        --"
        ratio = f"{base/ours:8.2f}x" if base else "      --"
        print(f"{r['name']:34} {r['threads']:>3} {ours*1e3:9.3f}ms {b} {ratio}  {rate}")

main()
