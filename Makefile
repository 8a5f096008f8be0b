# Entry points (README): `make run` and `make test` do every set-up step on a fresh Debian machine.
BUILD ?= build
JOBS ?= $(shell nproc)
# Debian packages the build needs; installed with apt-get when missing.
APT_PACKAGES := cmake make g++ git libcli11-dev libyaml-cpp-dev libfmt-dev nlohmann-json3-dev catch2 libopenblas-dev gnuplot-nox
INFERSIM := ./$(BUILD)/infersim

.PHONY: deps configure build run test reports bench bench-serve sanitize fuzz-deps fuzz format-check format clean

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The main job on shipped defaults: Llama-2-7B on an A100 80GB, with its per-operator breakdown.
run: build
	$(INFERSIM) estimate -m llama-2-7b -g a100-80gb-sxm --breakdown

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Regenerates the example outputs in reports/ (see reports/README.md) and stamps them, in reports/STAMP,
# with the `infersim --version` (git revision, -dirty for uncommitted changes) that wrote them.
reports: build
	$(INFERSIM) estimate -m llama-2-7b -g a100-80gb-sxm --breakdown > reports/llama-2-7b_a100-80gb-sxm_breakdown.txt
	$(INFERSIM) estimate -m llama-2-7b -g a100-80gb-sxm --format json > reports/llama-2-7b_a100-80gb-sxm.json
	$(INFERSIM) estimate -m llama-2-70b -g h200-sxm --breakdown > reports/llama-2-70b_h200-sxm_breakdown.txt
	$(INFERSIM) estimate -m llama-2-70b -g h200-sxm --format json > reports/llama-2-70b_h200-sxm.json
	$(INFERSIM) estimate -m llama-2-70b -g h200-sxm --format json --breakdown > reports/llama-2-70b_h200-sxm_breakdown.json
	$(INFERSIM) sweep -m llama-2-7b,llama-3-70b -g h100-sxm,h200-sxm -b 1,8,64 --tp 1,4 --weights bf16,int4 --quiet -o reports/sweep_example.csv
	$(INFERSIM) capacity -m llama-2-70b -g h100-sxm --tp 8 --input 2048 --output 256 --ttft-slo 1 --tpot-slo 0.05 > reports/capacity_llama-2-70b_h100-sxm_tp8.txt
	$(INFERSIM) plan -m llama-3-70b -g a100-80gb-sxm,h100-sxm,h200-sxm,mi300x --input 2048 --output 256 --rate 10 --ttft-slo 1 --tpot-slo 0.05 > reports/plan_llama-3-70b_10rps.txt
	$(INFERSIM) report -m llama-2-7b -g a100-80gb-sxm --ttft-slo 500ms --tpot-slo 30ms -o reports/report_llama-2-7b_a100-80gb-sxm > /dev/null
	$(INFERSIM) serve -m llama-3-70b -g h100-sxm --tp 4 --rate 5 --requests 2000 --input lognormal:1024:0.5 --output lognormal:256:0.5 --ttft-slo 1s --tpot-slo 50ms --quiet > reports/serve_llama-3-70b_h100-sxm_tp4_5rps.txt
	$(INFERSIM) validate --published --serving-threshold 0.25 --regime-threshold 0.15 -o reports/validation/published.csv > reports/validation/published.txt || test $$? -eq 3  # 3: a gate of CI's failed, report written
	{ echo "The files make reports regenerates in reports/ were written by:"; $(INFERSIM) --version; } > reports/STAMP

# The capacity-planning speed target: 1,000,000 valid configurations to CSV with --jobs 2, then the
# formatting floor (the same rows with estimates computed once and reused: what writing alone costs);
# prints each time and peak RSS, and their ratio. Targets on the 2-core machine: <= 1.4 s, <= 1.3x the
# floor, <= 64 MB.
# 100,000 requests (Poisson; lognormal lengths, means 1,024 in / 256 out, sigma 0.5) through Llama-3-70B TP 4 on
# H100 at 70 % of the request rate that --offline sustains for the same workload: 11.15 req/s
# (`serve ... --offline --requests 10000`), so 7.8 req/s. Target: <= 2 s on one core.
BENCH_SERVE_RATE := 7.8
bench-serve: build
	@start=$$(date +%s.%N); \
	$(INFERSIM) serve -m llama-3-70b -g h100-sxm --tp 4 --rate $(BENCH_SERVE_RATE) --requests 100000 \
	  --input lognormal:1024:0.5 --output lognormal:256:0.5 --quiet --format json > $(BUILD)/bench_serve.json; \
	end=$$(date +%s.%N); \
	awk -v s=$$start -v e=$$end -v f=$(BUILD)/bench_serve.json 'BEGIN { \
	  while ((getline line < f) > 0) if (line ~ /"duration_s"/) { split(line, kv, ": "); sim = kv[2] + 0 } \
	  printf "bench-serve: 100000 requests in %.2f s wall (target <= 2 s), %.0f x real time\n", e - s, sim / (e - s) }'

bench: build
	@$(INFERSIM) sweep bench/sweep_1m.yaml -o $(BUILD)/sweep_1m.csv --jobs 2 2>&1 | tee $(BUILD)/bench_sweep.txt
	@$(INFERSIM) sweep bench/sweep_1m.yaml -o $(BUILD)/sweep_1m_floor.csv --jobs 2 --formatting-floor 2>&1 \
	  | tee $(BUILD)/bench_floor.txt
	@awk '/configurations in/ {for (i = 1; i <= NF; ++i) if ($$i == "s") t[FILENAME] = $$(i - 1)} \
	  END {s = t["$(BUILD)/bench_sweep.txt"]; f = t["$(BUILD)/bench_floor.txt"]; \
	  printf "bench: sweep %.2f s, formatting floor %.2f s, ratio %.2f (targets: <= 1.4 s, <= 1.3)\n", s, f, s / f}' \
	  $(BUILD)/bench_sweep.txt $(BUILD)/bench_floor.txt
	@rm -f $(BUILD)/sweep_1m.csv $(BUILD)/sweep_1m_floor.csv

# Hardening. `make sanitize`: the whole ctest suite built with ASan + UBSan (gcc), in its
# own build directory. `make fuzz`: the libFuzzer targets (clang-14, runtime from libclang-rt-14-dev),
# each run FUZZ_SECONDS on a scratch copy of its seed corpus (tests/fuzz/corpus/NAME); a crash
# leaves its input in $(FUZZ_BUILD)/artifacts/ (make it a fixture in tests/config/bad/). Targets: the
# model, hardware and runtime-profile loaders, the sweep spec, the Hugging Face importer (JSON
# dictionary), the readers of serving traces, measured CSVs and published rows (CSV dictionary), the
# published mapping.
SANITIZE_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := model_loader hardware_loader runtime_loader sweep_spec hf_import trace_csv measured_csv \
  published_csv published_mapping
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_FLAGS)"
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_BUILD) --output-on-failure -j $(JOBS)

fuzz-deps: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(FUZZ_PACKAGES)"

fuzz: fuzz-deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DINFERSIM_FUZZ=ON -DBUILD_TESTING=OFF -DINFERSIM_CUDA=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@mkdir -p $(FUZZ_BUILD)/artifacts
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_BUILD)/corpus/$$t && mkdir -p $(FUZZ_BUILD)/corpus && cp -r tests/fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t; \
	  echo "make fuzz: fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  case $$t in hf_import) dict=tests/fuzz/json.dict;; *_csv) dict=tests/fuzz/csv.dict;; \
	    *) dict=tests/fuzz/yaml.dict;; esac; \
	  ASAN_OPTIONS=detect_leaks=1 ./$(FUZZ_BUILD)/fuzz_$$t $(FUZZ_BUILD)/corpus/$$t -dict=$$dict \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- 2>$(FUZZ_BUILD)/fuzz_$$t.log \
	    || { tail -60 $(FUZZ_BUILD)/fuzz_$$t.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_BUILD)/fuzz_$$t.log || true; \
	done

# Formatting: every C++ file under src/ and tests/ as Debian's clang-format-14 formats it with the
# project's .clang-format. `make format-check` fails on any difference (CI runs it); `make format` fixes.
FORMAT_FILES = $(shell git ls-files 'src/*.cpp' 'src/*.hpp' 'src/*.cu' 'src/*.cuh' 'tests/*.cpp' 'tests/*.hpp' 'tests/*.cu' 'tests/*.cuh')

format-check:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="clang-format-14 git"
	clang-format-14 --dry-run --Werror $(FORMAT_FILES)
	@echo "make format-check: $(words $(FORMAT_FILES)) files formatted"

format:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="clang-format-14 git"
	clang-format-14 -i $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
