#!/usr/bin/env bash
# The fuzz-modelfile seeds: model files and checkpoints written by `scorekit train` (tiny networks,
# so that each file stays under fuzz.sh's -max_len of 8192 bytes). Run from the package root after
# `swift build`: bash Fuzz/make_modelfile_seeds.sh
set -euo pipefail
scorekit="$(swift build --show-bin-path)/scorekit"
out=Fuzz/corpus/modelfile
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run() { "$scorekit" train --data ring8 --out "$tmp/$1" "${@:2}" >/dev/null 2>&1; }
run a --width 8 --depth 1 --steps 2 --batch 4 --log-every 1 --eval-every 0
run b --width 4 --depth 2 --steps 1 --batch 2 --preconditioning ncsn --precision float64
run c --width 6 --depth 0 --steps 1 --batch 2 --preconditioning vp --optimizer sgd
run d --width 2 --depth 1 --steps 1 --batch 2 --preconditioning ncsn --precision float64
mkdir -p "$out"
cp "$tmp/a/model.safetensors" "$out/model_edm_f32.safetensors"
cp "$tmp/b/model.safetensors" "$out/model_ncsn_f64.safetensors"
cp "$tmp/c/model.safetensors" "$out/model_vp_depth0.safetensors"
cp "$tmp/c/checkpoint.safetensors" "$out/checkpoint_vp_sgd.safetensors"
cp "$tmp/d/checkpoint.safetensors" "$out/checkpoint_ncsn_f64.safetensors"
