#!/usr/bin/env python3
"""PyTorch baseline of the training bench of `make bench` (run by the interpreter that has torch).

Usage: bench_training.py THREADS [THREADS ...]   -> one JSON line per thread count

The network, loss and optimizer of ScoreKitBench's `benchTraining`, written out in PyTorch: an
MLPDenoiserNet (d = 64, width 256, 4 pre-norm residual blocks with FiLM from 32 Fourier channels of
scale 16, output LayerNorm + SiLU + Linear), EDM preconditioning (sigma_data 0.5), log-normal sigma
(P_mean -1.2, P_std 1.2), EDM weighting lambda = 1/c_out^2 on the per-element mean squared error,
Adam (lr 1e-3, torch defaults otherwise) and an EMA of the parameters (decay 0.999), float32, batch
256 of the digits (scaled to [-1, 1], as ScoreKit's). A step is: sample a batch and noise, forward,
loss, backward, Adam step, EMA update — the same work as ScoreKit's `Trainer.trainStep`.
"""
import json, math, os, sys, time
sys.path.insert(0, os.path.dirname(__file__))
import torch
from torch import nn
from bench_denoisers import load_digits
from bench_timing import median_time


class Block(nn.Module):
    def __init__(self, width, cond):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.film = nn.Linear(cond, 2 * width)
        self.linear1 = nn.Linear(width, width)
        self.linear2 = nn.Linear(width, width)

    def forward(self, x, e):
        scale, shift = self.film(e).chunk(2, dim=1)
        h = self.norm(x) * (1 + scale) + shift
        return x + self.linear2(nn.functional.silu(self.linear1(h)))


class MLPDenoiserNet(nn.Module):
    def __init__(self, d=64, width=256, depth=4, channels=32, scale=16.0):
        super().__init__()
        self.register_buffer("freqs", torch.randn(channels // 2) * scale)
        self.input = nn.Linear(d, width)
        self.blocks = nn.ModuleList([Block(width, channels) for _ in range(depth)])
        self.output_norm = nn.LayerNorm(width)
        self.output = nn.Linear(width, d)

    def forward(self, x, c_noise):
        a = c_noise[:, None] * (2 * math.pi * self.freqs[None, :])
        e = torch.cat([a.cos(), a.sin()], dim=1)
        h = self.input(x)
        for block in self.blocks:
            h = block(h, e)
        return self.output(nn.functional.silu(self.output_norm(h)))


def edm_loss(net, x0, sigma_data=0.5):
    b = x0.shape[0]
    sigma = (torch.randn(b) * 1.2 - 1.2).exp()
    noised = x0 + sigma[:, None] * torch.randn_like(x0)
    s2, sd2 = sigma ** 2, sigma_data ** 2
    c_skip = sd2 / (s2 + sd2)
    c_out = sigma * sigma_data / (s2 + sd2).sqrt()
    c_in = 1 / (s2 + sd2).sqrt()
    c_noise = sigma.log() / 4
    denoised = c_skip[:, None] * noised + c_out[:, None] * net(c_in[:, None] * noised, c_noise)
    weight = (s2 + sd2) / (s2 * sd2)
    return (weight[:, None] * (denoised - x0) ** 2).mean()


def main():
    torch.manual_seed(0)
    data = torch.from_numpy(load_digits())
    for threads in map(int, sys.argv[1:] or ["1"]):
        torch.set_num_threads(threads)
        net = MLPDenoiserNet()
        ema = [p.detach().clone() for p in net.parameters()]
        params = list(net.parameters())
        opt = torch.optim.Adam(params, lr=1e-3)

        def step():
            x0 = data[torch.randint(0, data.shape[0], (256,))]
            loss = edm_loss(net, x0)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                torch._foreach_lerp_(ema, params, 1 - 0.999)

        seconds = median_time(step, 5, budget=6)
        print(json.dumps({"group": "training", "threads": threads, "seconds": seconds, "steps_per_second": 1 / seconds,
                          "torch": torch.__version__, "parameters": sum(p.numel() for p in params)}), flush=True)


main()
