# mtkfw: one non-recursive Makefile.  `make` builds every filter into bin/.
# Each filters/NAME.cpp is one tool (bin/NAME); every common/*.cpp goes into one static library.

CXX      ?= g++
CXXFLAGS ?= -O2 -g
override CXXFLAGS += -std=c++20 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 -MMD -MP
override LDLIBS   += -lboost_program_options -lxxhash -lcrypto -lz -lpthread
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
BINDIR   ?= bin
VERSION  := $(shell cat VERSION)
override CPPFLAGS += -DMTKFW_VERSION='"$(VERSION)"' -Icommon

COMMON_SRC := $(wildcard common/*.cpp)
FILTER_SRC := $(wildcard filters/*.cpp)
COMMON_OBJ := $(COMMON_SRC:%.cpp=$(BUILD)/%.o)
TOOLS      := $(FILTER_SRC:filters/%.cpp=$(BINDIR)/%)
SCRIPTS    := $(filter-out scripts/install-deps scripts/run-tests %.mk %.bash,$(wildcard scripts/*))
SHARED     := $(wildcard scripts/*.mk scripts/*.bash)
MANPAGES   := $(wildcard man/*.1)

.SECONDARY:
.PHONY: all test test-sanitize test-reference bench demo fuzz install uninstall clean deps

all: $(TOOLS)

$(BUILD)/libmtkfw.a: $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(BINDIR)/%: $(BUILD)/filters/%.o $(BUILD)/libmtkfw.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

-include $(COMMON_OBJ:.o=.d) $(FILTER_SRC:%.cpp=$(BUILD)/%.d)

deps:
	scripts/install-deps

# Every Bats suite under tests/; prints one "N passed, N failed" line at the end.
test:
	@scripts/install-deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	scripts/run-tests tests

# The whole suite against an AddressSanitizer + UndefinedBehaviorSanitizer build (build/san/).
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test-sanitize:
	@scripts/install-deps
	@$(MAKE) --no-print-directory -j$(shell nproc) BUILD=build/san BINDIR=build/san/bin CXXFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" all
	MTKFW_BIN=$(CURDIR)/build/san/bin ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  scripts/run-tests tests

# The real third-party samples in ../shared/reference (skipped when absent).
test-reference:
	@scripts/install-deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	MTKFW_REFERENCE=$(or $(REFERENCE),../shared/reference) scripts/run-tests tests/reference

# Side-by-side benchmarks against the manual tools; each tests/bench/*.sh prints its own table.
bench: all
	@set -e; for b in tests/bench/*.sh; do [ -e "$$b" ] || continue; echo "== $$b"; bash "$$b"; done

# The whole pipeline on a sample readback built by scripts/mksample, in demo/.
demo:
	@scripts/install-deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all
	rm -rf demo
	scripts/mksample demo/readback
	scripts/readback2fw --boot2 demo/readback/Boot2 demo/readback/Boot1 demo/readback/User demo/firmware
	@echo; ls -l demo/firmware; echo; cat demo/firmware/report.txt

fuzz:
	@echo "make fuzz: no fuzz harnesses yet (issue 9)" >&2; exit 2

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/mtkfw
	install -m 755 $(TOOLS) $(SCRIPTS) $(DESTDIR)$(PREFIX)/bin
	$(if $(SHARED),install -m 644 $(SHARED) $(DESTDIR)$(PREFIX)/share/mtkfw)
	$(if $(MANPAGES),install -m 644 $(MANPAGES) $(DESTDIR)$(PREFIX)/share/man/man1)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(TOOLS) $(SCRIPTS))) \
	      $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(MANPAGES))) \
	      $(addprefix $(DESTDIR)$(PREFIX)/share/mtkfw/,$(notdir $(SHARED)))

clean:
	rm -rf $(BUILD) bin demo
