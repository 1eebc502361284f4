"""The fuzz-config seeds: valid TrainingConfiguration JSON files that together cover every case of
every enum (parameterizations and preconditionings, noise distributions, weightings, optimizers,
learning-rate decays, noise inputs, conditionings, activations), with and without the optional
keys. Run from Fuzz/: python3 make_config_seeds.py"""
import copy, json

def model(d=2, w=8, depth=1, hidden=None, act="silu", noise=None, mapping=None, cond="film"):
    m = {"dataDimension": d, "width": w, "depth": depth, "hiddenWidth": hidden or w, "activation": act,
         "noiseInput": noise if noise is not None else {"fourier": {"channels": 8, "scale": 16}}, "conditioning": cond}
    if mapping:
        m["mappingWidth"] = mapping
    return m

def lr(base=1e-3, warm=0, decay=None):
    return {"base": base, "warmupSteps": warm, "decay": decay or {"constant": {}}}

def config(**changes):
    c = {"model": model(), "parameterization": {"preconditioned": {"_0": {"edm": {"sigmaData": 0.5}}}},
         "noiseDistribution": {"logNormal": {"mean": -1.2, "standardDeviation": 1.2}},
         "weighting": {"edm": {"sigmaData": 0.5}}, "batchSize": 4, "steps": 10, "learningRate": lr(),
         "optimizer": {"adam": {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0}},
         "emaDecay": 0.999, "seed": 0, "buckets": {"minimum": 0.002, "maximum": 80, "count": 16}}
    c.update(changes)
    return c

seeds = {
    "edm_fourier_film.json": config(),
    "vp_positional_concat.json": config(
        model=model(d=3, w=16, depth=2, act="relu", noise={"positional": {"channels": 8, "endpoint": False}}, cond="concatenation"),
        parameterization={"preconditioned": {"_0": {"vp": {"betaD": 19.9, "betaMin": 0.1, "trainingSteps": 1000}}}},
        noiseDistribution={"vpUniformTime": {"betaD": 19.9, "betaMin": 0.1, "epsilonT": 1e-5}},
        weighting={"uniform": {}}, learningRate=lr(2e-4, 5, {"cosine": {"totalSteps": 100, "minimum": 1e-5}}),
        optimizer={"adamW": {"beta1": 0.9, "beta2": 0.99, "epsilon": 1e-8, "weightDecay": 0.01}}, gradientClipNorm=1.0, seed=42),
    "ve_mapping_endpoint.json": config(
        model=model(d=2, w=8, depth=1, hidden=16, act="gelu", noise={"positional": {"channels": 4, "endpoint": True}}, mapping=8),
        parameterization={"preconditioned": {"_0": {"ve": {}}}},
        noiseDistribution={"logUniform": {"minimum": 0.02, "maximum": 100}},
        weighting={"inverseVariance": {}}, learningRate=lr(1e-3, 0, {"step": {"every": 5, "factor": 0.5}}),
        optimizer={"sgd": {"momentum": 0.9, "nesterov": True}}, emaDecay=0.9),
    "ncsn_multiplicative.json": config(
        model=model(d=2, w=8, depth=2, act="silu", noise={"none": {}}, cond="concatenation"),
        parameterization={"multiplicative": {}},
        noiseDistribution={"geometricLevels": {"minimum": 0.01, "maximum": 50, "count": 10}},
        weighting={"inverseVariance": {}}, optimizer={"sgd": {"momentum": 0, "nesterov": False}}, emaDecay=0),
    "eps_table_minsnr.json": config(
        model=model(d=4, w=8, depth=0, act="geluTanh", noise={"fourier": {"channels": 2, "scale": 1}}, cond="concatenation", mapping=4),
        parameterization={"preconditioned": {"_0": {"epsilon": {}}}},
        noiseDistribution={"table": {"sigmas": [0.1, 1, 10], "probabilities": [0.2, 0.5, 0.3]}},
        weighting={"minSNR": {"gamma": 5}}, batchSize=3, steps=1, emaDecay=1,
        buckets={"minimum": 0.01, "maximum": 20, "count": 4}),
    "v_table_uniform.json": config(
        model=model(d=1, w=4, depth=1),
        parameterization={"preconditioned": {"_0": {"velocity": {"sigmaData": 1}}}},
        noiseDistribution={"table": {"sigmas": [0.5, 2]}}, weighting={"uniform": {}}, steps=0, seed=2**64 - 1),
    "x0_denoised.json": config(
        model=model(d=2, w=8, depth=1, act="relu", noise={"fourier": {"channels": 16, "scale": 0.5}}, mapping=16),
        parameterization={"denoised": {}}, noiseDistribution={"logNormal": {"mean": 0, "standardDeviation": 0}},
        weighting={"edm": {"sigmaData": 0.5}}, batchSize=8, gradientClipNorm=10.0),
}
for name, c in seeds.items():
    with open(f"corpus/config/{name}", "w") as f:
        # One pretty-printed seed (whitespace tokens), the others compact.
        json.dump(c, f, indent=1) if name.startswith("edm") else json.dump(c, f, separators=(",", ":"))
