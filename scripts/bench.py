#!/usr/bin/env python3
"""Times the baselines of `make bench` in the same run as ScoreKitBench and prints the tables.

Usage: bench.py SCOREKIT_JSON_LINES [--data DIR] [--torch-python PYTHON]

* kernels: numpy on the shapes ScoreKitBench uses;
* denoiser: numpy's natural float32 empirical denoiser (scripts/bench_denoisers.py), with
  ScoreKit's GF/s next to the plain sgemm GF/s of the same two products (project goals: >= 2x
  numpy, >= 60 % of sgemm);
* metrics: straightforward numpy MMD and energy distance (scripts/bench_metrics.py) on the same
  10,000 x 64 inputs (goals: >= 3x numpy; the whole `scorekit eval` under a second);
* sampler: k-diffusion on PyTorch CPU (scripts/bench_samplers.py, run by PYTHON, the interpreter
  that has torch and k-diffusion) on the problems ScoreKitBench wrote to DIR (goal: >= 2x);
* training: the same MLP, EDM loss and Adam in PyTorch CPU (scripts/bench_training.py, run by
  PYTHON) at the same thread counts (goal: >= 1.5x PyTorch's steps/s).

numpy's BLAS threads are set through threadpoolctl when it is installed; otherwise numpy runs with
its default threads and the table says so.
"""
import argparse, json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from bench_timing import median_time


def numpy_kernel_times(np, threadpool_limits):
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
    return out


def ms(t): return f"{t * 1e3:10.1f}ms" if t is not None else f"{'--':>12}"
def ratio(base, ours): return f"{base / ours:8.2f}x" if base else f"{'--':>9}"


def kernel_table(rows, base):
    print(f"\n{'kernel':34} {'thr':>3} {'ScoreKit':>12} {'numpy':>12} {'speed-up':>9}  rate")
    for r in rows:
        b = base.get((r["name"], r["threads"]))
        rate = f"{r['gflops']:.1f} GF/s" if "gflops" in r else f"{r['mitems_per_s']:.0f} M/s"
        print(f"{r['name']:34} {r['threads']:>3} {ms(r['seconds'])} {ms(b)} {ratio(b, r['seconds'])}  {rate}")


def denoiser_table(rows, base):
    print("\nEmpirical denoiser, float32 (thr 1: ScoreKit .serial, numpy 1 BLAS thread; thr 2: ScoreKit .automatic"
          " split with BLAS on 1 thread, numpy 2 BLAS threads; sgemm = the same two products as plain GEMMs,"
          " OpenBLAS on `thr` threads; goals: >= 2x numpy, >= 60 % of sgemm)")
    print(f"{'case':38} {'thr':>3} {'ScoreKit':>12} {'numpy':>12} {'speed-up':>9} {'GF/s':>7} {'sgemm':>7} {'of sgemm':>8}")
    for r in rows:
        b = base.get((r["name"], r["threads"]))
        share = r["gflops"] / r["sgemm_gflops"]
        print(f"{r['name'][len('empirical '):]:38} {r['threads']:>3} {ms(r['seconds'])} {ms(b)} {ratio(b, r['seconds'])}"
              f" {r['gflops']:7.1f} {r['sgemm_gflops']:7.1f} {share:8.0%}")


def sampler_table(rows, base, note):
    print(f"\nSampling, 25 Karras steps (σ 0.002…80), both cores (ScoreKit: BLAS 1 thread + the denoiser's"
          f" two-way split; torch: its default intra-op threads); {note}")
    print(f"{'problem':18} {'denoiser':9} {'sampler':9} {'dtype':7} {'NFE':>3} {'ScoreKit':>12} {'k-diffusion':>12}"
          f" {'speed-up':>9} {'max|Δ| f64':>10}")
    for r in rows:
        b = base.get((r["key"], r["dtype"]), {})
        diff = f"{b['max_abs_diff_vs_scorekit']:10.1e}" if "max_abs_diff_vs_scorekit" in b else f"{'':10}"
        problem = f"{r['dataset']} B={r['B']}"
        print(f"{problem:18} {r['denoiser']:9} {r['sampler']:9} {r['dtype']:7} {r['nfe']:>3} {ms(r['seconds'])}"
              f" {ms(b.get('seconds'))} {ratio(b.get('seconds'), r['seconds'])} {diff}")


def metrics_table(rows, have_numpy):
    import bench_metrics
    base = {}
    values = {}
    if have_numpy:
        for r in bench_metrics.run(10000, 64, 2):
            base[(r["name"], r["threads"])] = r["seconds"]
            values[r["name"]] = r["value"]
    print("\nscorekit eval metrics, float32, 10,000 x 64 each side, 2 threads (goals: MMD and energy >= 3x numpy;"
          " all metrics < 1 s); value = ScoreKit's (numpy's)")
    print(f"{'metric':34} {'thr':>3} {'ScoreKit':>12} {'numpy':>12} {'speed-up':>9}  value")
    for r in rows:
        b = base.get((r["name"], r["threads"]))
        other = f" ({values[r['name']]:.6g})" if r["name"] in values else ""
        print(f"{r['name']:34} {r['threads']:>3} {ms(r['seconds'])} {ms(b)} {ratio(b, r['seconds'])}  {r['value']:.6g}{other}")


def torch_times(python, data):
    """{(key, dtype): row} from bench_samplers.py, and a note for the table header."""
    if not python or not data:
        return {}, ("k-diffusion not installed: no baseline. Run `make bench BENCH_INSTALL=1` (creates the venv"
                    " .build-benchenv/ with CPU torch, k-diffusion and diffusers; or yourself: `pip install torch"
                    " --index-url https://download.pytorch.org/whl/cpu k-diffusion diffusers`)")
    proc = subprocess.run([python, os.path.join(os.path.dirname(__file__), "bench_samplers.py"), data],
                          capture_output=True, text=True)
    rows = [json.loads(l) for l in proc.stdout.splitlines() if l.startswith("{")]
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
    info = next((r["info"] for r in rows if "info" in r), {})
    note = (f"torch {info.get('torch')} ({info.get('threads')} threads), k-diffusion 0.1.1 heun/dpmpp_2m, diffusers"
            f" {info.get('diffusers')} UniPC (k-diffusion has none); k-diffusion loaded with {info.get('k_diffusion_loaded_with')}"
            if info else "the k-diffusion baseline failed (see above)")
    return {(r["key"], r["dtype"]): r for r in rows if "key" in r}, note


def training_table(rows, python):
    """ScoreKit's training steps/s next to PyTorch's, at each thread count ScoreKitBench used."""
    threads = sorted({r["threads"] for r in rows})
    base, note = {}, "PyTorch not installed: no baseline (`make bench BENCH_INSTALL=1` creates .build-benchenv/)"
    if python:
        proc = subprocess.run([python, os.path.join(os.path.dirname(__file__), "bench_training.py")] + [str(t) for t in threads],
                              capture_output=True, text=True)
        if proc.returncode != 0: print(proc.stderr[-2000:], file=sys.stderr)
        torch_rows = [json.loads(l) for l in proc.stdout.splitlines() if l.startswith("{")]
        base = {r["threads"]: r for r in torch_rows}
        note = f"torch {torch_rows[0]['torch']}" if torch_rows else "the PyTorch baseline failed (see above)"
    print(f"\nTraining, float32: MLPDenoiserNet d=64, 4 residual blocks of width 256, FiLM from 32 Fourier channels,"
          f" batch 256, Adam, EMA, EDM loss (ScoreKit: Parallelism.maximumThreads = thr, BLAS on 1; torch: set_num_threads(thr)); {note}; goal >= 1.5x")
    print(f"{'thr':>3} {'ScoreKit steps/s':>17} {'torch steps/s':>14} {'ratio':>7}   ScoreKit step = forward + backward + Adam/EMA (ms)")
    for r in rows:
        b = base.get(r["threads"], {}).get("steps_per_second")
        ratio = f"{r['steps_per_second'] / b:6.2f}x" if b else f"{'--':>7}"
        parts = f"{r['seconds'] * 1e3:.1f} = {r['forward_seconds'] * 1e3:.1f} + {r['backward_seconds'] * 1e3:.1f} + {r['optimizer_seconds'] * 1e3:.1f}"
        print(f"{r['threads']:>3} {r['steps_per_second']:17.1f} {b if b else float('nan'):14.1f} {ratio}   {parts}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scorekit")
    ap.add_argument("--data")
    ap.add_argument("--torch-python")
    ap.add_argument("--training-python", help="an interpreter with torch (enough for the training baseline)")
    a = ap.parse_args()
    rows = [json.loads(l) for l in open(a.scorekit) if l.strip()]
    info = next((r["info"] for r in rows if "info" in r), {})
    group = lambda g: [r for r in rows if r.get("group") == g]
    try:
        import numpy as np
    except ImportError:
        np = None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    note = ("numpy not installed" if np is None else f"numpy {np.__version__}" +
            ("" if threadpool_limits else " (threadpoolctl missing: numpy used its default BLAS threads)"))
    print(f"ScoreKit BLAS core: {info.get('blas_core')}, kernels: {info.get('kernels')}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')} (same for both sides); {note}")
    if group("kernels"):
        kernel_table(group("kernels"), numpy_kernel_times(np, threadpool_limits) if np else {})
    if group("denoiser"):
        import bench_denoisers
        denoiser_table(group("denoiser"), bench_denoisers.times(group("denoiser"), threadpool_limits) if np else {})
    if group("metrics"):
        metrics_table(group("metrics"), np is not None)
    if group("sampler"):
        sampler_table(group("sampler"), *torch_times(a.torch_python, a.data))
    if group("training"):
        training_table(group("training"), a.torch_python or a.training_python)


main()
