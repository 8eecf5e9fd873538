# swarmsim — build, serve and test. `make test` and `make serve` work on a fresh
# Debian machine: missing tools (Chromium, Prometheus, wasmbrowsertest, GNU parallel) are installed first.
SHELL   := /bin/bash
GO      ?= go
PORT    ?= 8080
GOBIN   := $(shell $(GO) env GOPATH)/bin
WBT     := $(GOBIN)/wasmbrowsertest
WBT_VERSION := v0.11.0
# Chromium: Debian's package puts it here; another build works too
# (make test CHROMIUM=/path/to/chrome); the browser tests get it from SWARMSIM_CHROMIUM.
CHROMIUM ?= /usr/bin/chromium
export SWARMSIM_CHROMIUM := $(CHROMIUM)
# Prometheus: Debian's server, which the dashboard test (cmd/sim-native) starts on its
# own port and storage to scrape sim-native; another build works too
# (make test PROMETHEUS=/path/to/prometheus).
PROMETHEUS ?= /usr/bin/prometheus
export SWARMSIM_PROMETHEUS := $(PROMETHEUS)
# Chromium wrapper with the flags WebGL (Ebiten) needs headless; first on PATH for
# wasmbrowsertest, which looks Chromium up by name.
TOOLS   := $(CURDIR)/.tools
WRAPPER := $(TOOLS)/bin/chromium
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WASM_ENV := GOOS=js GOARCH=wasm
WASM_PKGS := ./sim/... ./web/app/...
# Per-package time limits: generous, as a loaded machine (CI beside other jobs) runs a
# package several times slower than a quiet one; go test's default of 10 minutes failed
# there. They only catch hangs: no test measures time against a goal.
TEST_TIMEOUT ?= 45m
NATIVE_TEST_FLAGS ?= -race -count=1 -timeout $(TEST_TIMEOUT)

.PHONY: all help deps gnu-parallel test vet test-native test-wasm serve wasm bench perf-browser fuzz clean

all: test

help:
	@echo "make serve [PORT=8080] [DRILLS=dir]  build the wasm app and serve it on 127.0.0.1 (with a trainer's drill files)"
	@echo "make test               vet + native tests (-race) + wasm tests in Chromium + browser e2e"
	@echo "make bench              the benchmarks behind docs/PERFORMANCE.md"
	@echo "make perf-browser       the browser app's frame/update-rate goals, asserted (quiet machine)"
	@echo "make fuzz               run every fuzzer (scenario and drill parsers, Set, Inject, ReadJSON) for a minute each"

## ---- tools -------------------------------------------------------------------
deps: $(CHROMIUM) $(PROMETHEUS) $(WBT) gnu-parallel
	@mkdir -p $(TOOLS)/bin
	@printf '#!/bin/sh\nexec %s --use-angle=swiftshader --enable-unsafe-swiftshader "$$@"\n' $(CHROMIUM) > $(WRAPPER)
	@chmod +x $(WRAPPER)

$(CHROMIUM):
	@if [ "$@" != /usr/bin/chromium ]; then echo "CHROMIUM=$@ does not exist"; exit 1; fi
	@echo ">> installing Chromium (apt-get)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

$(PROMETHEUS):
	@if [ "$@" != /usr/bin/prometheus ]; then echo "PROMETHEUS=$@ does not exist"; exit 1; fi
	@echo ">> installing Prometheus (apt-get)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends prometheus
# GNU parallel: the sweep tests run shards as separate processes with it. moreutils
# ships another program at the same path, so the check asks the program what it is;
# Debian's package diverts moreutils' one when both are installed.
gnu-parallel:
	@if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then \
	  echo ">> installing GNU parallel (apt-get)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq parallel; \
	fi

$(WBT):
	@echo ">> installing wasmbrowsertest $(WBT_VERSION)"
	$(GO) install github.com/agnivade/wasmbrowsertest@$(WBT_VERSION)

## ---- tests -------------------------------------------------------------------
test: deps vet test-native test-wasm

vet:
	@unformatted="$$(gofmt -l cmd sim web)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(WASM_ENV) $(GO) vet ./sim/... ./web/app/... ./cmd/swarmsim-web/
	@# Same seed, same run on every platform: arm64, ppc64le, riscv64, s390x and loong64
	@# fuse x*y+z into one multiply-add unless the product is converted explicitly
	@# (float64(x*y)); their assembly of sim/ must have none.
	@set -o pipefail; for arch in arm64 ppc64le riscv64 s390x loong64; do \
	  asm="$$(GOARCH=$$arch $(GO) build -gcflags=-S ./sim/... 2>&1)" || { echo "$$asm" | tail -20; exit 1; }; \
	  fused="$$(echo "$$asm" | grep -E '\s(F|VF|WF)N?M(ADD|SUB)[A-Z]*\s' | grep -oE '\([^)]*\.go:[0-9]+\)' | sort -u || true)"; \
	  if [ -n "$$fused" ]; then echo "fused multiply-add in sim/ on $$arch (write float64(x*y)):"; echo "$$fused"; exit 1; fi; \
	done

# Native: every package with the race detector, including the CLI end-to-end tests.
# The golden digests (which the wasm run must reproduce) are also checked natively
# without -race, where they are skipped. Then the browser end-to-end test (web/e2e:
# headless Chromium driven by chromedp) on its own, so that its frame-rate figures are
# not taken while other packages compile and test. In `make test` it records the
# timing figures (frames/s, updates/s, first frame) without asserting them: timing
# goals are measured (`make perf-browser` asserts them), not gates that flake with load.
# The transfer size, being deterministic, is always asserted.
test-native: deps
	$(GO) test $(NATIVE_TEST_FLAGS) $$($(GO) list ./... | grep -v '/web/e2e$$')
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) -run '^TestGolden$$' ./sim/engine/
	SWARMSIM_PERF_STRICT=0 $(GO) test $(NATIVE_TEST_FLAGS) ./web/e2e/

# WebAssembly: the sim/ packages and the drawing code run their tests inside
# headless Chromium.
test-wasm: deps
	PATH="$(TOOLS)/bin:$$PATH" $(WASM_ENV) $(GO) test -count=1 -timeout $(TEST_TIMEOUT) -exec="$(WBT)" $(WASM_PKGS)

## ---- browser app -------------------------------------------------------------
wasm:
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" web/wasm_exec.js
	$(WASM_ENV) $(GO) build -trimpath -ldflags="-s -w" -o web/swarmsim.wasm ./cmd/swarmsim-web

serve: wasm
	$(GO) run ./cmd/serve -dir web -addr 127.0.0.1:$(PORT) $(if $(DRILLS),-drills "$(DRILLS)")

## ---- measurements ------------------------------------------------------------
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./sim/...

# The browser app's timing goals, asserted (10 000 clients at 10x: 60 updates/s, >= 50
# frames/s; first frame <= 3 s). Run on a quiet machine.
perf-browser: deps
	$(GO) test -count=1 -v -run '^TestPerformance$$' ./web/e2e/

# Each fuzzer for a minute; an input that finds new code is minimised for at most 5 s
# (go test's default, a minute, can take the whole run on a large input).
FUZZ_FLAGS ?= -fuzztime 60s -fuzzminimizetime 5s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' $(FUZZ_FLAGS) ./sim/scenario/
	$(GO) test -run '^$$' -fuzz '^FuzzSet$$' $(FUZZ_FLAGS) ./sim/scenario/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' $(FUZZ_FLAGS) ./sim/drill/
	$(GO) test -run '^$$' -fuzz '^FuzzInject$$' $(FUZZ_FLAGS) ./sim/engine/
	$(GO) test -run '^$$' -fuzz '^FuzzReadJSON$$' $(FUZZ_FLAGS) ./sim/export/

clean:
	rm -rf $(TOOLS) web/swarmsim.wasm web/swarmsim.wasm.gz
