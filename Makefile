# mtkfw: one non-recursive Makefile.  `make` builds every filter into bin/, beside the scripts.
# Each filters/NAME.cpp is one tool (bin/NAME); every common/*.cpp goes into one static library.

CXX      ?= g++
CXXFLAGS ?= -O2 -g
override CXXFLAGS += -std=c++20 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 -MMD -MP
override LDLIBS   += -lboost_program_options -lxxhash -lcrypto -lz -llz4 -lpthread
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
BINDIR   ?= bin
VERSION  := $(shell cat VERSION)
override CPPFLAGS += -DMTKFW_VERSION='"$(VERSION)"' -Icommon

COMMON_SRC := $(wildcard common/*/*.cpp)
FILTER_SRC := $(wildcard filters/*.cpp)
COMMON_OBJ := $(COMMON_SRC:%.cpp=$(BUILD)/%.o)
TOOLS      := $(FILTER_SRC:filters/%.cpp=$(BINDIR)/%)
SCRIPTS    := $(filter-out scripts/install-deps scripts/run-tests scripts/mksample %.mk %.bash,$(wildcard scripts/*))
SHARED     := $(wildcard scripts/*.mk scripts/*.bash)
MANPAGES   := $(filter-out man/mksample.1,$(wildcard man/*.1))
# mksample is a generic name: bin/ and PREFIX/bin hold it (and man1 its page) as mtkfw-mksample.
SAMPLER    := mtkfw-mksample
# bin/ as PREFIX/bin will be: the filters, the scripts (links into scripts/: an edit needs no make),
# and the readback-*.bash files beside readback2fw, which sources them from its own folder.
BIN_LINKS  := $(SCRIPTS:scripts/%=$(BINDIR)/%) $(patsubst scripts/%,$(BINDIR)/%,$(wildcard scripts/*.bash))

.SECONDARY:
.PHONY: all check-layers unit test test-sanitize test-reference bench bench-scale demo fuzz fuzz-build fuzzers install uninstall clean deps

all: $(TOOLS) $(BIN_LINKS) $(BINDIR)/$(SAMPLER)

$(BIN_LINKS): $(BINDIR)/%: scripts/%
	@mkdir -p $(@D)
	ln -sfr $< $@

$(BINDIR)/$(SAMPLER): scripts/mksample
	@mkdir -p $(@D)
	ln -sfr $< $@

$(BUILD)/libmtkfw.a: $(COMMON_OBJ)
	@mkdir -p $(@D)
	rm -f $@   # a module removed from common/ must leave the archive too
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(BINDIR)/%: $(BUILD)/filters/%.o $(BUILD)/libmtkfw.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

-include $(COMMON_OBJ:.o=.d) $(FILTER_SRC:%.cpp=$(BUILD)/%.d)

# Every group of packages; each target below asks scripts/install-deps for only its own groups.
deps:
	scripts/install-deps

# common/'s layers (doc/ARCHITECTURE.md): no layer includes a higher one, nothing below cli/ prints.
check-layers:
	@tests/check-layers

# The shell scripts and test helpers, by shellcheck (bash dialect, sourced files followed for
# their names; each file is named here, as shellcheck reports only on the files it is given).
.PHONY: lint
lint:
	shellcheck -s bash -x scripts/readback2fw scripts/*.bash scripts/mksample scripts/install-deps \
	  scripts/run-tests tests/check-layers tests/lib/*.bash \
	  tests/lib/stock-readback tests/lib/stock-match tests/lib/stock-fields

# Every Bats suite under tests/; prints one "N passed, N failed" line at the end.
test:
	@scripts/install-deps build demo test
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	@tests/check-layers
	@$(MAKE) --no-print-directory -j$(shell nproc) unit
	scripts/run-tests tests

# Unit tests beside the parsers: tests/unit/*.cpp (check.h, examples on bytes built in the test)
# linked into one runner against the library; prints "unit: N passed, N failed".
UNIT_SRC := $(wildcard tests/unit/*.cpp)
UNIT_OBJ := $(UNIT_SRC:%.cpp=$(BUILD)/%.o)
$(UNIT_OBJ): override CXXFLAGS += -O0 -g0   # examples need no optimiser: builds in a third of the time

# Linked without Boost: the parsers stand below the CLI layer, and this proves it.
$(BUILD)/unit/run-unit: $(UNIT_OBJ) $(BUILD)/libmtkfw.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) $^ $(filter-out -lboost_program_options,$(LDLIBS)) -o $@

-include $(UNIT_OBJ:.o=.d)

unit: $(BUILD)/unit/run-unit
	$(BUILD)/unit/run-unit

# The whole suite against an AddressSanitizer + UndefinedBehaviorSanitizer build (build/san/).
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test-sanitize:
	@scripts/install-deps build demo test
	@$(MAKE) --no-print-directory -j$(shell nproc) BUILD=build/san BINDIR=build/san/bin CXXFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" all
	MTKFW_BIN=$(CURDIR)/build/san/bin MTKFW_REPLAY=$(CURDIR)/build/san/replay MTKFW_TOOLS=$(CURDIR)/build/san/tools ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  scripts/run-tests tests

# The real third-party samples in ../shared/reference (skipped when absent).
test-reference:
	@scripts/install-deps build demo test
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	MTKFW_REFERENCE=$(abspath $(or $(REFERENCE),../shared/reference)) scripts/run-tests tests/reference

# Side-by-side benchmarks against the manual tools; each tests/bench/*.sh prints its own table.
bench:
	@scripts/install-deps build demo bench
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	@set -e; for b in tests/bench/*.sh; do [ -e "$$b" ] || continue; echo "== $$b"; bash "$$b"; done

# Issue 18's benchmark at a real phone's size (tests/bench/readback2fw-scale): a ~30 GiB readback
# built once (cached), then readback2fw, the physical limit, the manual method and img2simg,
# each from a cold page cache.  Writes ~160 GB over ~20 minutes, at most ~31 GiB at once;
# checks for 45 GiB free first.
bench-scale:
	@scripts/install-deps build demo bench
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	@tests/bench/readback2fw-scale

# The whole pipeline on a sample readback built by scripts/mksample: demo/sample -> demo/firmware.
# Every example in README.md, the man pages and --help runs as written in demo/ (tests/examples.bats).
demo:
	@scripts/install-deps build demo
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	rm -rf demo
	scripts/mksample demo/sample
	scripts/readback2fw --boot2 demo/sample/Boot2 demo/sample/Boot1 demo/sample/User demo/firmware
	@echo; ls -l demo/firmware; echo; cat demo/firmware/report.txt

# Test-only tools (tests/tools/NAME.cpp, not installed): $(BUILD)/tools/NAME, built by `make` for
# the Bats suites (MTKFW_TOOLS points them at another build).
TEST_TOOLS := $(patsubst tests/tools/%.cpp,$(BUILD)/tools/%,$(wildcard tests/tools/*.cpp))
all: $(TEST_TOOLS)

$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(BUILD)/libmtkfw.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) $^ $(filter-out -lboost_program_options,$(LDLIBS)) -o $@

-include $(patsubst tests/tools/%.cpp,$(BUILD)/tests/tools/%.d,$(wildcard tests/tools/*.cpp))

# ---- Fuzzing ------------------------------------------------------------------------------------
# Every tests/fuzz/fuzz_NAME.cpp is a libFuzzer harness (LLVMFuzzerTestOneInput).  It is built twice:
#  - by `make` (all) with the normal compiler and tests/fuzz/replay.cpp, a main that feeds it each file
#    named on its command line: $(BUILD)/replay/NAME.  tests/fuzz-regress.bats replays
#    tests/fuzz/regress/NAME/* through it, so `make test` needs no clang.
#  - by `make fuzz` with clang++ -fsanitize=fuzzer,address,undefined (common/ and the harness objects with
#    fuzzer-no-link, in build/fuzz/), then tests/fuzz/run-fuzzers runs each harness FUZZ_SECONDS on a seed
#    corpus made by tests/fuzz/make-seeds (real tools) plus its regressions, and prints a table.
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.cpp)
FUZZ_NAMES   := $(FUZZ_SRC:tests/fuzz/%.cpp=%)
REPLAYS      := $(FUZZ_NAMES:%=$(BUILD)/replay/%)
FUZZ_BUILD   := build/fuzz
FUZZ_CXX     ?= clang++
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
FUZZERS      := $(FUZZ_NAMES:%=$(BUILD)/fuzzers/%)

all: $(REPLAYS)

$(BUILD)/replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/libmtkfw.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/fuzzers/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/libmtkfw.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -fsanitize=fuzzer $(LDFLAGS) $^ $(LDLIBS) -o $@

-include $(FUZZ_SRC:%.cpp=$(BUILD)/%.d) $(BUILD)/tests/fuzz/replay.d

fuzzers: $(FUZZERS)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CXX=$(FUZZ_CXX) CXXFLAGS="$(FUZZ_FLAGS)" fuzzers

# FUZZ_SECONDS per harness, one harness at a time; FUZZ_ONLY="fuzz_gpt ..." picks some.
fuzz:
	@scripts/install-deps build demo fuzz
	@$(MAKE) --no-print-directory all fuzz-build
	tests/fuzz/run-fuzzers --seconds $(FUZZ_SECONDS) --bin $(FUZZ_BUILD)/fuzzers --work $(FUZZ_BUILD) \
	  $(or $(FUZZ_ONLY),$(FUZZ_NAMES))

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/mtkfw
	install -m 755 $(TOOLS) $(SCRIPTS) $(DESTDIR)$(PREFIX)/bin
	install -m 755 scripts/mksample $(DESTDIR)$(PREFIX)/bin/$(SAMPLER)
	$(if $(SHARED),install -m 644 $(SHARED) $(DESTDIR)$(PREFIX)/share/mtkfw)
	$(if $(MANPAGES),install -m 644 $(MANPAGES) $(DESTDIR)$(PREFIX)/share/man/man1)
	install -m 644 man/mksample.1 $(DESTDIR)$(PREFIX)/share/man/man1/$(SAMPLER).1

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(TOOLS) $(SCRIPTS)) $(SAMPLER)) \
	      $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(MANPAGES)) $(SAMPLER).1) \
	      $(addprefix $(DESTDIR)$(PREFIX)/share/mtkfw/,$(notdir $(SHARED)))

clean:
	rm -rf $(BUILD) bin demo
