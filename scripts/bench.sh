#!/usr/bin/env bash
# `make bench`: ScoreKit next to numpy (kernels, empirical denoiser) and k-diffusion on PyTorch CPU
# (samplers), each pair measured in the same run. The k-diffusion baseline needs torch, k-diffusion
# and diffusers: an existing .build-benchenv/ venv, or a python3 that has them; `BENCH_INSTALL=1`
# creates the venv (scripts/bench_env.sh). Otherwise ScoreKit's sampler times print alone.
# When OPENBLAS_CORETYPE is set, everything runs twice: with it as set, then unset.
# BENCH_ONLY=kernels,denoiser,sampler,metrics,training (any subset) limits the sections; `metrics`
# compares `scorekit eval`'s MMD and energy distance with numpy; `training` compares
# training steps/s of the same MLP with PyTorch CPU (needs only torch).
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release -Xswiftc -cross-module-optimization)
swift build "${flags[@]}" --product ScoreKitBench >/dev/null
bin="$(swift build "${flags[@]}" --show-bin-path)/ScoreKitBench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -c 'import threadpoolctl' 2>/dev/null || python3 -m pip install -q threadpoolctl >/dev/null 2>&1 || true
venv=.build-benchenv/bin/python
has_baseline() { "$1" -c 'import torch, diffusers, importlib.util as u; assert u.find_spec("k_diffusion")' 2>/dev/null; }
if [ "${BENCH_INSTALL:-0}" = 1 ] && ! { [ -x "$venv" ] && has_baseline "$venv"; }; then bash scripts/bench_env.sh; fi
torch_python=""
if [ -x "$venv" ] && has_baseline "$venv"; then torch_python="$venv"; elif has_baseline python3; then torch_python=python3; fi
training_python=""
for p in "$venv" python3; do
    if "$p" -c 'import torch' 2>/dev/null; then training_python="$p"; break; fi
done

run() {
    "$bin" --data "$work/data" --only "${BENCH_ONLY:-kernels,denoiser,sampler,metrics,training}" > "$work/scorekit.jsonl"
    python3 scripts/bench.py "$work/scorekit.jsonl" --data "$work/data" ${torch_python:+--torch-python "$torch_python"} \
        ${training_python:+--training-python "$training_python"}
}
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
    echo "== OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE (as set in the environment) =="
    run
    echo; echo "== OPENBLAS_CORETYPE unset =="
    (unset OPENBLAS_CORETYPE; run)
else
    run
fi
