"""Timing shared by the Python baselines of `make bench` (the same rule as ScoreKitBench's `measure`)."""
import time


def median_time(fn, repeats=7, budget=None):
    """Median wall time of fn over `repeats` batches of >= 50 ms, after one warm-up call.

    A body that takes >= 50 ms on its own counts its first sizing run as a sample, and with a
    `budget` (seconds) a slow body gets fewer repeats (at least 1), as in ScoreKitBench's `measure`."""
    t0 = time.perf_counter()
    fn()
    if budget: repeats = max(1, min(repeats, int(budget / (time.perf_counter() - t0))))
    reps, ts = 1, []
    while True:
        t0 = time.perf_counter()
        for _ in range(reps): fn()
        dt = time.perf_counter() - t0
        if dt >= 0.05 and reps == 1: ts.append(dt)
        if dt >= 0.05 or reps >= 1 << 16: break
        reps *= 2
    while len(ts) < repeats:
        t0 = time.perf_counter()
        for _ in range(reps): fn()
        ts.append((time.perf_counter() - t0) / reps)
    return sorted(ts)[repeats // 2]
