# readback.mk: readback2fw as a Makefile fragment, one target per output file, so that make -j
# runs independent partitions in parallel and a user can build only the steps they need:
#
#   make -f scripts/readback.mk BOOT1=Boot1 USER=User OUT=firmware -j2
#   make -f scripts/readback.mk BOOT1=Boot1 USER=User OUT=firmware firmware/boot.img
#
# Optional: PLATFORM=MT6752 PROJECT=name MD5=1 CHECK_CHECKSUMS=1 DOWNLOAD=nvram,proinfo BOOT2=Boot2
# SKIP=name,... POLICY=FILE FILE_NAMES=partition|stock SLOT=a|b|active SCATTER_VERSION=V1.1.8
# FORMAT=txt|xml SPFT=v5|v6 DA=FOLDER TEMPLATE=STOCK_SCATTER (as readback2fw's options), STATE=FOLDER.
# The recipes are the functions of readback-steps.bash, which readback2fw runs too: with the same
# SOURCE_DATE_EPOCH (default: USER's modification time) both write the same bytes.
#
# Nothing in OUT is written until every file is made and proven against the dumps: the steps
# write into a stage folder, $(STATE)/stage, and the proven files are then hard-linked (copied
# across file systems) into OUT, Checksum.ini and the scatter last; a run that changes anything
# first takes the scatter out of OUT, so a failed run leaves no folder SP Flash Tool would load.
# STATE (default: OUT.mtkfw-state beside OUT) holds everything make needs and the firmware does
# not: the stage, plan.mk, images.mk, the settings, the sparse images' verification summaries and
# one stamp per proven file (its inode, size, modification and change time).  A stage file whose
# stamp no longer fits (touched, written, replaced, unlinked: through the link in OUT too) is made
# again from the dumps; Checksum.ini, report.txt and the publishing refuse a file that changed
# after its proof.  make names files by words: a path with white space or one of : # % ' " = ;
# * ? [ ~ $ \ is refused (give readback2fw such a path, or a symlink without them).

ifeq ($(and $(BOOT1),$(USER),$(OUT)),)
$(error readback.mk: give BOOT1=FILE USER=FILE OUT=FOLDER (see readback2fw(1)))
endif

# --- paths make can name in a rule ---------------------------------------------------------
unsafe_chars := : \# % \ ' " = ; * ? [ ~ $$
path_error = $(error readback.mk: error: $1=$(value $1): make cannot name this path in a rule (white space or one of $(unsafe_chars)); use a path without them (a symlink), or readback2fw)
check_path = $(if $(or $(filter-out 1,$(words $(value $1))),$(strip $(foreach c,$(unsafe_chars),$(findstring $c,$(value $1))))),$(call path_error,$1))
$(foreach v,BOOT1 USER OUT,$(call check_path,$v))
$(foreach v,BOOT2 STATE POLICY DA TEMPLATE,$(if $(value $v),$(call check_path,$v)))

OUT := $(patsubst %/,%,$(OUT))
STATE ?= $(abspath $(OUT)).mtkfw-state
stage := $(STATE)/stage

# --- the filters and the steps: next to this file (source tree), or installed ------------------
MTKFW_SELF := $(abspath $(lastword $(MAKEFILE_LIST)))
MTKFW_SCRIPTS := $(patsubst %/,%,$(dir $(MTKFW_SELF)))
MTKFW_STEPS := $(firstword $(wildcard $(MTKFW_SCRIPTS)/readback-steps.bash $(MTKFW_SCRIPTS)/../share/mtkfw/readback-steps.bash))
# The source tree's bin/ is beside scripts/; an installed fragment is PREFIX/share/mtkfw/.
MTKFW_BIN ?= $(patsubst %/gpt-list,%,$(firstword $(wildcard $(MTKFW_SCRIPTS)/../bin/gpt-list $(MTKFW_SCRIPTS)/../../bin/gpt-list)))
ifneq ($(wildcard $(MTKFW_BIN)/gpt-list),)
export PATH := $(abspath $(MTKFW_BIN)):$(PATH)
endif
ifeq ($(MTKFW_STEPS),)
$(error readback.mk: error: readback-steps.bash not found next to $(MTKFW_SCRIPTS)/readback.mk (install mtkfw again))
endif

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
export BOOT1 USER BOOT2 DOWNLOAD MD5 CHECK_CHECKSUMS PLATFORM PROJECT SKIP POLICY TEMPLATE
# The modern settings under the steps' names (SLOT is the user's choice here, USE_SLOT there).
export FILE_NAMES SCATTER_VERSION SPFT DA
export USE_SLOT := $(SLOT)
export SCATTER_FORMAT := $(FORMAT)
export MTKFW_STATE := $(STATE)
SOURCE_DATE_EPOCH ?= $(shell stat -c %Y -- '$(USER)' 2>/dev/null)
export SOURCE_DATE_EPOCH

# A function of readback-steps.bash run while make reads this file: its words go to stderr; the
# value is empty when it passed.  (make 4.3 gives $(shell) none of the exported variables.)
steps_now = $(shell PATH='$(PATH)' BOOT1='$(BOOT1)' USER='$(USER)' BOOT2='$(BOOT2)' TEMPLATE='$(TEMPLATE)' OUT='$(stage)' \
  MTKFW_STATE='$(STATE)' && source '$(MTKFW_STEPS)' && $1 >&2 || echo failed)
stop = $(error readback.mk: stopped: OUT is as it was)
# A recipe: the scatter leaves OUT before anything it lists may change; the steps write the stage.
unpublish = $(if $(SCATTER),rm -f -- '$(OUT)/$(SCATTER)' &&)
steps = export OUT='$(stage)' && source '$(MTKFW_STEPS)' &&
step = $(unpublish) $(steps)
proven = && stamp_proven '$@'

# --- before any rule runs: the filters, the inputs, no output on an input ------------------
# A plan that changes on every pass would restart make forever: stop, saying so, instead.
$(if $(shell [ '$(MAKE_RESTARTS)' -gt 20 ] 2>/dev/null && echo y),$(error readback.mk: error: make restarted \
  $(MAKE_RESTARTS) times: a file it includes changes on every pass (please report it, with $(STATE)'s files)))
tools_found := $(shell PATH='$(PATH)' && for t in gpt-list part-cut bl-strip ext4-sparse scatter-gen fw-checksum; do \
  command -v $$t >/dev/null || { echo "readback.mk: error: $$t not found (build with make, or install mtkfw; or give MTKFW_BIN=FOLDER)" >&2; echo $$t; }; done)
$(if $(tools_found),$(stop))
$(if $(call steps_now,FILE_NAMES='$(FILE_NAMES)' USE_SLOT='$(SLOT)' SCATTER_VERSION='$(SCATTER_VERSION)' \
  SCATTER_FORMAT='$(FORMAT)' SPFT='$(SPFT)' DA='$(DA)' TEMPLATE='$(TEMPLATE)' POLICY='$(POLICY)' \
  DOWNLOAD='$(DOWNLOAD)' check_settings),$(stop))
$(foreach f,$(BOOT1) $(USER) $(BOOT2) $(POLICY) $(TEMPLATE),$(if $(call steps_now,input_readable '$f'),$(stop)))

# Every name a run writes, in OUT and in the stage, with the temporaries beside them (the names
# known so far: the plan and the scatter add theirs on make's next pass).
# SP Flash Tool v6 (SPFT=v6): download_agent/flash.xml, and the vendor's files with DA=.
agent_files := $(if $(filter v6,$(SPFT)),download_agent/flash.xml $(if $(DA),download_agent/DA_BR.bin download_agent/flash.xsd))
names = partitions.tsv partitions.json Checksum.ini report.txt $(PRELOADER) $(SCATTER) $(IMAGES) $(agent_files)
written = $(foreach d,$(OUT) $(stage),$(foreach n,$(names),$d/$n $d/.$n.tmp)) \
  $(foreach f,plan.mk images.mk layout modern extras,$(STATE)/$f $(STATE)/$f.tmp)
check_outputs = $(if $(call steps_now,not_an_input $(foreach p,$(written),'$p')),$(stop))

# The settings each step depends on, as files rewritten only when they change: a new MD5=1 or
# DOWNLOAD= makes what it changes, and only that.  The file is read back by cat, not $(file <):
# once in a while make 4.3's $(file <) inside this ifneq compared unequal to the very text it had
# written, so every pass rewrote the layout and make restarted forever (readback-mk.bats, 4747
# restarts in one hang).
define setting_file  # FILE,VARIABLE
ifneq ($$(shell cat -- '$1' 2>/dev/null),$$($2))
$$(if $$(shell mkdir -p -- '$(STATE)' 2>&1),$$(error readback.mk: error: STATE=$(STATE): cannot be made (give STATE=FOLDER)))
$$(file > $1,$$($2))
endif
endef
# What the user gave (the second make has the plan's values in its environment).
ifneq ($(MTKFW_PHASE),build)
given_platform := $(PLATFORM)
given_project := $(PROJECT)
endif
layout := $(STATE)/layout
extras := $(STATE)/extras
$(call check_outputs)
layout_settings := BOOT1=$(abspath $(BOOT1)) USER=$(abspath $(USER)) PLATFORM=$(given_platform) PROJECT=$(given_project) \
  DOWNLOAD=$(DOWNLOAD) SKIP=$(SKIP) POLICY=$(abspath $(POLICY)) TEMPLATE=$(abspath $(TEMPLATE))
# The modern settings (file names, slot, scatter version and form, SP Flash Tool v6): a file of
# their own, a prerequisite of what they change (the plan, the scatter, download_agent/).
modern := $(STATE)/modern
modern_settings := FILE_NAMES=$(FILE_NAMES) SLOT=$(SLOT) SCATTER_VERSION=$(SCATTER_VERSION) FORMAT=$(FORMAT) SPFT=$(SPFT) DA=$(abspath $(DA))
extras_settings := MD5=$(MD5) CHECK_CHECKSUMS=$(CHECK_CHECKSUMS) BOOT2=$(abspath $(BOOT2)) SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH)
$(eval $(call setting_file,$(layout),layout_settings))
$(eval $(call setting_file,$(modern),modern_settings))
$(eval $(call setting_file,$(extras),extras_settings))

# A stage file that is not the file its step proved is made again.
unproven_now = $(shell PATH='$(PATH)' MTKFW_STATE='$(STATE)' && source '$(MTKFW_STEPS)' && unproven $(foreach n,$(names),'$(stage)/$n'))

.PHONY: firmware FORCE
firmware:

# --- the table and the plan ----------------------------------------------------------------
$(stage)/.mtkfw:
	mkdir -p $@

$(stage)/partitions.tsv: $(USER) $(TEMPLATE) $(layout) | $(stage)/.mtkfw
	$(step) step_table tsv $(proven)

# After the tsv: a USER gpt-list rejects is said once.
$(stage)/partitions.json: $(USER) $(TEMPLATE) $(layout) | $(stage)/partitions.tsv
	$(step) step_table json $(proven)

# Platform, project and file names: known once the table and BOOT1 have been read.  A failed
# step stops make (an include, not -include: its failure is make's).  Two makes: the first makes
# the plan, the second (this file again, MTKFW_PHASE=build) all the rest, so that no recipe
# runs with the names and values of the last run's plan (make remakes every included file on one
# pass).  The plan starts from what the user gave, not from the last plan's values.
ifneq ($(MTKFW_PHASE),build)
$(STATE)/plan.mk: $(stage)/partitions.tsv $(BOOT1) $(layout) $(modern)
	$(step) PLATFORM='$(given_platform)' PROJECT='$(given_project)' step_plan make > $@.tmp && mv $@.tmp $@
endif
include $(STATE)/plan.mk
export PRELOADER_SIZE PLATFORM_FROM PROJECT_FROM STORAGE ACTIVE_SLOT SLOT_USED SLOT_FROM GENERATION
$(call check_outputs)

ifneq ($(MTKFW_PHASE),build)
.PHONY: build
build: $(STATE)/plan.mk
	+$(MAKE) -f '$(MTKFW_SELF)' MTKFW_PHASE=build given_platform='$(given_platform)' given_project='$(given_project)' $(MAKECMDGOALS)
firmware $(filter-out firmware build,$(MAKECMDGOALS)): build
	@:
else
$(stage)/$(PRELOADER): $(BOOT1) $(layout) | $(stage)/.mtkfw
	$(step) step_preloader '$(PRELOADER)' $(proven)

$(stage)/$(SCATTER): $(stage)/partitions.tsv $(stage)/$(PRELOADER) $(POLICY) $(TEMPLATE) $(layout) $(modern)
	$(step) step_scatter '$(SCATTER)' '$(PRELOADER)' $(proven)

# One rule per downloaded image, read from the scatter; a file name is a plain name in OUT.
$(STATE)/images.mk: $(stage)/$(SCATTER)
	$(step) scatter_downloads '$(stage)/$(SCATTER)' | awk -F'\t' ' \
	  $$2 !~ /^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*$$/ { \
	    print "readback.mk: error: $(SCATTER): file name \"" $$2 "\" of " $$1 " is not a plain file name" > "/dev/stderr"; exit 1 } \
	  { printf "IMAGES += %s\n$$(stage)/%s: $$(stage)/$$(SCATTER) $$(USER)\n\t$$(step) step_image %s %s %s $$(proven)\n", \
	    $$2, $$2, $$1, $$2, $$3 }' > $@.tmp && mv $@.tmp $@
include $(STATE)/images.mk
$(call check_outputs)

$(stage)/Checksum.ini: $(stage)/$(SCATTER) $(stage)/$(PRELOADER) $(addprefix $(stage)/,$(IMAGES)) $(extras)
	$(step) stamps_hold $(filter $(stage)/%,$^) && step_checksum '$(SCATTER)' $(proven)

# SP Flash Tool v6: flash.xml names the scatter; the vendor's files are copied by the same step.
$(stage)/download_agent/flash.xml: $(stage)/$(SCATTER) $(if $(DA),$(DA)/DA_BR.bin $(DA)/flash.xsd) $(modern)
	$(step) step_flash_xml '$(SCATTER)' && stamp_proven $(foreach f,$(agent_files),'$(stage)/$f')
$(addprefix $(stage)/download_agent/,DA_BR.bin flash.xsd): $(stage)/download_agent/flash.xml
	@:

$(stage)/report.txt: $(stage)/Checksum.ini $(stage)/partitions.json $(addprefix $(stage)/,$(IMAGES) $(agent_files)) $(BOOT2) $(extras)
	$(step) stamps_hold $(filter $(stage)/%,$^) $(stage)/$(PRELOADER) $(stage)/$(SCATTER) $(stage)/partitions.tsv && \
	  step_report '$(SCATTER)' '$(PRELOADER)' $(proven)

# OUT: every proven file, the scatter last; or one file alone (OUT has no scatter until the
# next full run).
firmware: $(addprefix $(stage)/,$(names))
	$(steps) publish_files '$(OUT)' '$(SCATTER)' $(names)

$(addprefix $(OUT)/,$(filter-out $(SCATTER),$(names))): $(OUT)/%: $(stage)/% FORCE
	$(steps) publish_files '$(OUT)' '$(SCATTER)' '$*'
endif

# A stage file that is not the file its step proved is made again (the table on the first make,
# before the plan is read from it).
unproven_files := $(unproven_now)
$(if $(unproven_files),$(eval $(unproven_files): FORCE))
