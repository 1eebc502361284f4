# The two commands: `make demo` (the main job) and `make test` (all tests).
# Each installs what it needs on a fresh Debian machine first (scripts/setup.sh).
SWIFT ?= swift
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: all setup build release test demo bench parity clean fuzz test-sanitize

all: build

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

# Whole-program speed for our own binaries: generic numerics specialise across modules.
RELEASE_FLAGS := -c release -Xswiftc -cross-module-optimization

release: setup
	$(SWIFT) build $(RELEASE_FLAGS) --product scorekit

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: release
	$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/scorekit demo

# Every ring8 reference run of k-diffusion / diffusers that ScoreKit reproduces, through the CLI.
parity: release
	python3 ../shared/oracles/check_parity.py $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/scorekit

bench: setup
	bash scripts/bench.sh

# libFuzzer + AddressSanitizer on every file parser (Fuzz/), FUZZ_SECONDS each; fails on a finding.
FUZZ_SECONDS ?= 60
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# The whole test suite under AddressSanitizer, then ThreadSanitizer (.build-asan, .build-tsan).
test-sanitize: setup
	bash scripts/test-sanitize.sh

clean:
	rm -rf .build .build-asan .build-tsan Fuzz/.build Fuzz/.work
