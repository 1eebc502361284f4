#!/usr/bin/env python3
"""k-diffusion baseline of the sampler benchmarks for `make bench`, on PyTorch CPU.

Usage: bench_samplers.py DATA_DIR. DATA_DIR is what `ScoreKitBench --data DIR` wrote: the
training points, start noise and Gaussian mixture of each problem (ring8, digits) and ScoreKit's
float64 outputs. Prints one JSON line per run: its time, and for float64 the largest difference
from ScoreKit's output (the check that both sides computed the same thing).

Samplers: k-diffusion 0.1.1's `sample_heun` and `sample_dpmpp_2m`; k-diffusion has no UniPC, so
`unipc` runs diffusers' `UniPCMultistepScheduler` (order 2, bh2, lower_order_final, x0
prediction) through the exact VE <-> VP change of variables of the parity oracles
(/work/shared/oracles/ref_sample.py). Denoisers written in torch: empirical = cdist (squared) +
softmax + matmul; gmm = exact posterior mean of the mixture in each component's eigenbasis.
Schedule: Karras, 25 steps, σ 0.002...80, ρ = 7 (float64 arithmetic, then the run's dtype).
Threads: torch's default (intra-op threads = cores).

k-diffusion is loaded without its package __init__ (which imports torchvision, CLIP, wandb...):
`sampling.py` runs as a submodule of a stub package, with the real `utils.py` when it imports and
otherwise a shim holding the one helper sampling needs (`append_dims`).
"""
import importlib.util, json, math, os, sys, types
import numpy as np
import torch
sys.path.insert(0, os.path.dirname(__file__))
from bench_timing import median_time


def load_kdiffusion_sampling():
    spec = importlib.util.find_spec("k_diffusion")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("k_diffusion is not installed")
    package = types.ModuleType("k_diffusion")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["k_diffusion"] = package
    try:
        import k_diffusion.utils  # noqa: F401  (needs torchvision, PIL, safetensors)
        how = "k_diffusion.utils"
    except ImportError:
        utils = types.ModuleType("k_diffusion.utils")
        def append_dims(x, target_dims):  # k_diffusion/utils.py, verbatim
            dims_to_append = target_dims - x.ndim
            if dims_to_append < 0:
                raise ValueError(f"input has {x.ndim} dims but target_dims is {target_dims}, which is less")
            return x[(...,) + (None,) * dims_to_append]
        utils.append_dims = append_dims
        sys.modules["k_diffusion.utils"] = package.utils = utils
        how = "utils shim (torchvision not importable)"
    import k_diffusion.sampling as sampling
    return sampling, how


class Empirical:
    def __init__(self, X):
        self.X = X

    def __call__(self, x, sigma):
        s = sigma.reshape(-1, 1)
        d2 = torch.cdist(x, self.X).square()
        w = torch.softmax(-d2 / (2 * s * s), dim=1)
        return w @ self.X


class GMM:
    def __init__(self, weights, means, covs):
        self.logw = torch.log(weights)
        self.m = means
        lam, self.V = torch.linalg.eigh(0.5 * (covs + covs.transpose(1, 2)))
        self.lam = lam.clamp_min(0)

    def __call__(self, x, sigma):
        d = x.shape[1]
        s2 = sigma.reshape(-1, 1, 1) ** 2
        y = torch.einsum("kij,bki->bkj", self.V, x[:, None, :] - self.m[None])  # eigen-coordinates
        var = self.lam[None] + s2
        logp = self.logw[None] - 0.5 * (y * y / var).sum(-1) - 0.5 * torch.log(var).sum(-1) \
            - 0.5 * d * math.log(2 * math.pi)
        r = torch.softmax(logp, dim=1)
        post = self.m[None] + torch.einsum("kij,bkj->bki", self.V, y * self.lam[None] / var)
        return torch.einsum("bk,bki->bi", r, post)


def karras(n, sigma_min=0.002, sigma_max=80.0, rho=7.0):
    ramp = np.linspace(0, 1, n)
    lo, hi = sigma_min ** (1 / rho), sigma_max ** (1 / rho)
    return np.append((hi + ramp * (lo - hi)) ** rho, 0.0)


def unipc_diffusers(model, x, sigmas):
    from diffusers import UniPCMultistepScheduler
    n = len(sigmas) - 1
    sched = UniPCMultistepScheduler(solver_order=2, prediction_type="sample", predict_x0=True, solver_type="bh2",
                                    lower_order_final=True, thresholding=False, final_sigmas_type="zero")
    sched.set_timesteps(n)
    sched.sigmas = sigmas.clone()
    sched.timesteps = torch.arange(n - 1, -1, -1, dtype=torch.int64)
    sched.num_inference_steps = n
    s_in = x.new_ones([x.shape[0]])
    xv = x / math.sqrt(1 + float(sigmas[0]) ** 2)
    for i in range(n):
        s = float(sigmas[i])
        D = model(xv * math.sqrt(1 + s * s), s * s_in)
        xv = sched.step(D, sched.timesteps[i], xv).prev_sample
    return xv  # σ_n = 0: the VP and VE states coincide


def main():
    data = sys.argv[1]
    sampling, how = load_kdiffusion_sampling()
    import diffusers
    print(json.dumps({"info": {"torch": torch.__version__, "threads": torch.get_num_threads(),
                               "diffusers": diffusers.__version__, "k_diffusion_loaded_with": how}}), flush=True)
    samplers = {
        "heun": lambda m, x, s: sampling.sample_heun(m, x, s, disable=True),
        "dpmpp_2m": lambda m, x, s: sampling.sample_dpmpp_2m(m, x, s, disable=True),
        "unipc": unipc_diffusers,
    }
    for dtype in (torch.float64, torch.float32):
        for problem in ("ring8", "digits"):
            load = lambda name: torch.from_numpy(np.load(os.path.join(data, f"{problem}_{name}.npy"))).to(dtype)
            X, Z = load("X"), load("Z")
            d = X.shape[1]
            denoisers = {"empirical": Empirical(X),
                         "gmm": GMM(load("gmm_weights").reshape(-1), load("gmm_means"), load("gmm_covs").reshape(-1, d, d))}
            sigmas = torch.from_numpy(karras(25)).to(dtype)
            x0 = Z * sigmas[0]
            for sampler, run in samplers.items():
                for name, den in denoisers.items():
                    out = {}
                    with torch.inference_mode():
                        t = median_time(lambda: out.__setitem__("x", run(den, x0, sigmas)), 3, budget=3)
                    key = f"{problem}_{name}_{sampler}"
                    row = {"key": key, "dtype": str(dtype).replace("torch.", ""), "seconds": t,
                           "out_dtype": str(out["x"].dtype).replace("torch.", "")}
                    ref = os.path.join(data, f"out_{key}.npy")
                    if dtype == torch.float64 and os.path.exists(ref):
                        row["max_abs_diff_vs_scorekit"] = float(np.abs(out["x"].numpy() - np.load(ref)).max())
                    print(json.dumps(row), flush=True)


main()
