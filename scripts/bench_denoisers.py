"""numpy baseline of the empirical denoiser for `make bench` (imported by scripts/bench.py).

The natural float32 implementation of D(x; σ) = softmax_i(−‖x − x_i‖²/(2σ²)) · X: squared
distances through one matrix product, a max-subtracted softmax, and a second matrix product, with
‖x_i‖² computed once (as ScoreKit does at construction). Same shapes, data distribution and σ as
ScoreKitBench's `benchEmpiricalDenoiser`: uniform(−1, 1) training points (or the digits), queries
x_b = X[b mod N] + σ z_b.
"""
import gzip, os
import numpy as np
from bench_timing import median_time

DIGITS = os.path.join(os.path.dirname(__file__), "..", "Sources", "ScoreKitIO", "Resources", "digits.csv.gz")


def load_digits():
    with gzip.open(DIGITS, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    return table[:, :64] / 8 - 1


def empirical_denoiser(x, X, Xsq, sigma):
    d2 = (x * x).sum(1)[:, None] - 2 * (x @ X.T) + Xsq[None, :]
    logits = d2 * np.float32(-0.5 / sigma ** 2)
    logits -= logits.max(axis=1, keepdims=True)
    w = np.exp(logits)
    w /= w.sum(axis=1, keepdims=True)
    return w @ X


def times(rows, threadpool_limits):
    """{(name, threads): seconds} for every denoiser row ScoreKitBench printed."""
    rng = np.random.default_rng(0)
    out, data = {}, {}
    for r in rows:
        n, d, b, sigma = r["N"], r["d"], r["B"], r["sigma"]
        key = (r["dataset"], n, d)
        if key not in data:
            X = load_digits() if r["dataset"] == "digits" else rng.uniform(-1, 1, (n, d)).astype(np.float32)
            x = X[np.arange(b) % n] + np.float32(sigma) * rng.standard_normal((b, d), dtype=np.float32)
            data = {key: (X, (X * X).sum(1), x)}  # keep one problem in memory at a time
        X, Xsq, x = data[key]
        if threadpool_limits: threadpool_limits(limits=r["threads"], user_api="blas")
        out[(r["name"], r["threads"])] = median_time(lambda: empirical_denoiser(x, X, Xsq, sigma), r["repeats"], budget=4)
    return out
