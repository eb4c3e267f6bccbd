# readback.mk: readback2fw as a Makefile fragment, one target per output file, so that make -j
# runs independent partitions in parallel and a user can build only the steps they need:
#
#   make -f scripts/readback.mk BOOT1=Boot1 USER=User OUT=firmware -j2
#   make -f scripts/readback.mk BOOT1=Boot1 USER=User OUT=firmware firmware/boot.img
#
# Optional: PLATFORM=MT6752 PROJECT=name MD5=1 DOWNLOAD=nvram,proinfo BOOT2=Boot2.
# The recipes are the functions of readback-steps.bash, which readback2fw runs too: with the same
# SOURCE_DATE_EPOCH (default: USER's modification time) both write the same bytes.

ifeq ($(and $(BOOT1),$(USER),$(OUT)),)
$(error readback.mk: give BOOT1=FILE USER=FILE OUT=FOLDER (see readback2fw(1)))
endif

MTKFW_SCRIPTS := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
MTKFW_STEPS := $(firstword $(wildcard $(MTKFW_SCRIPTS)/readback-steps.bash $(MTKFW_SCRIPTS)/../share/mtkfw/readback-steps.bash))
MTKFW_BIN ?= $(abspath $(MTKFW_SCRIPTS)/../bin)
ifneq ($(wildcard $(MTKFW_BIN)/gpt-list),)
export PATH := $(MTKFW_BIN):$(PATH)
endif

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
export BOOT1 USER OUT BOOT2 DOWNLOAD MD5 PLATFORM PROJECT
SOURCE_DATE_EPOCH ?= $(shell stat -c %Y '$(USER)')
export SOURCE_DATE_EPOCH

step = source '$(MTKFW_STEPS)' &&
state = $(OUT)/.mtkfw

.PHONY: firmware
firmware:

$(state):
	mkdir -p $@

$(OUT)/partitions.tsv: $(USER) | $(state)
	$(step) step_table tsv

$(OUT)/partitions.json: $(USER) | $(state)
	$(step) step_table json

# Platform, project and file names: known once the table and BOOT1 have been read.
$(state)/plan.mk: $(OUT)/partitions.tsv $(BOOT1)
	$(step) step_plan make > $@.tmp && mv $@.tmp $@
-include $(state)/plan.mk
export PLATFORM_FROM PROJECT_FROM

ifneq ($(SCATTER),)
$(OUT)/$(PRELOADER): $(BOOT1) | $(state)
	$(step) step_preloader '$(PRELOADER)'

$(OUT)/$(SCATTER): $(OUT)/partitions.tsv $(OUT)/$(PRELOADER)
	$(step) step_scatter '$(SCATTER)' '$(PRELOADER)'

# One rule per downloaded image, read from the scatter.
$(state)/images.mk: $(OUT)/$(SCATTER)
	$(step) scatter_downloads '$(OUT)/$(SCATTER)' | awk -F'\t' '{ \
	  printf "IMAGES += $$(OUT)/%s\n$$(OUT)/%s: $$(OUT)/$$(SCATTER) $$(USER)\n\t$$(step) step_image %s %s %s\n", \
	    $$2, $$2, $$1, $$2, $$3 }' > $@.tmp && mv $@.tmp $@
-include $(state)/images.mk

$(OUT)/Checksum.ini: $(OUT)/$(SCATTER) $(OUT)/$(PRELOADER) $(IMAGES)
	$(step) step_checksum '$(SCATTER)'

$(OUT)/report.txt: $(OUT)/Checksum.ini $(OUT)/partitions.json $(BOOT2)
	$(step) step_report '$(SCATTER)' '$(PRELOADER)'

firmware: $(OUT)/report.txt
endif
