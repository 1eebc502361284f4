#!/usr/bin/env bash
# Creates .build-benchenv/ (git-ignored): a venv with CPU PyTorch, k-diffusion and diffusers for the
# sampler baselines of `make bench`. Run only when the user asks (`make bench BENCH_INSTALL=1`).
#
# Which torch: plain PyPI's Linux x86_64 torch wheel is the CUDA build (~900 MB plus ~3 GB of
# nvidia-* wheels). The CPU build (~190 MB) comes from a local wheel folder when one holds it
# (BENCH_WHEELS, default /opt/wheels), else from PyTorch's CPU index, else from PyPI as a last resort.
#
# k-diffusion is installed without its dependencies: its package __init__ imports torchvision (and
# PyPI's torchvision wheel links libtorch_cuda.so, so it cannot load next to a CPU torch), CLIP,
# wandb... The sampler module needs only torch, scipy, torchdiffeq, torchsde and tqdm, which are
# installed here; scripts/bench_samplers.py loads `k_diffusion/sampling.py` without the package __init__.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build-benchenv
WHEELS=${BENCH_WHEELS:-/opt/wheels}
python3 -m venv "$VENV"
pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
if ! "$VENV/bin/python" -c 'import torch' 2>/dev/null; then
    local_wheel=$(ls "$WHEELS"/torch-*+cpu-*.whl 2>/dev/null | head -1 || true)
    if [ -n "$local_wheel" ]; then
        echo "installing CPU torch from $local_wheel"
        "${pip[@]}" "$local_wheel"
    elif "${pip[@]}" torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null; then
        echo "installed CPU torch from download.pytorch.org"
    else
        echo "no CPU torch wheel reachable: installing torch from PyPI (the CUDA build, several GB)"
        "${pip[@]}" torch
    fi
fi
"${pip[@]}" numpy scipy tqdm torchdiffeq torchsde threadpoolctl "diffusers==0.42.1"
"${pip[@]}" --no-deps "k-diffusion==0.1.1.post1"
"$VENV/bin/python" -c 'import torch, torchsde, torchdiffeq, diffusers; print("bench env: torch", torch.__version__, "diffusers", diffusers.__version__)'
