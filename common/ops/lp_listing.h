// The supers of a dump (every GPT partition whose content is `lp`, or a bare super image) with
// their logical partitions and what each holds, for gpt-list --lp and part-cut NAME; and the
// three ways gpt-list writes them (table, TSV, JSON).
//
// TSV layout (version 1), one row per distinct logical partition (ops/lp_super.h
// logical_partitions) of every super:
//   # mtkfw-lp 1
//   super<TAB>slots<TAB>name<TAB>group<TAB>attributes<TAB>size<TAB>extents<TAB>content<TAB>label
//   super       the GPT partition holding it (or the image's name)
//   slots       metadata slots listing the partition so, comma-separated ("0,1")
//   attributes  readonly,slot-suffixed,updated,disabled (comma-separated, "none" for 0; an
//               unknown bit as 0xN)
//   size        bytes
//   extents     comma-separated, in logical order, in 512-byte sectors: LINEAR "START+COUNT"
//               (START relative to super), ZERO "zero+COUNT"; "-" for none
//   content     a kind of format/content.h read through the partition's Region, "empty" for
//               a partition of no extents
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/failure.h"
#include "format/content.h"
#include "format/table.h"
#include "io/input.h"
#include "ops/lp_super.h"

namespace mtkfw::lp {

struct SuperView {
    std::string name;  // the GPT partition, or the image's name for a bare super
    Super super;
    std::vector<LogicalPartition> partitions;
    std::vector<Content> contents;  // one per partition
};

// "LP 10.2, 3 slots, 6 partitions": slot 0's version and partition count.
std::string lp_label(const Super& super);

// Kind and label of a logical partition from its first bytes ("empty" without extents).
Content logical_content(const Input& in, const Super& super, const LogicalPartition& partition);

// Reads super from `offset` (`size` bytes) with contents; `name` for the listing.
SuperView view_super(const Input& in, uint64_t offset, uint64_t size, const std::string& name, Notices& notices);

// Every row of `table` whose content is "lp" (ops/content.h), read.
std::vector<SuperView> supers_of(const Input& in, const PartitionTable& table, Notices& notices);

// A bare super image: LP geometry at 0x1000 or 0x2000 of the whole input, and no GPT.
bool is_bare_super(const Input& in);

// A sparse image given where raw bytes belong: Failure(invalid_input) saying so (and that it
// holds a super when its geometry shows in its first chunks); nothing for other inputs.
void refuse_sparse(const Input& in);

// The partition `name` names in a dump, as a Region named "NAME" (GPT) or "super/NAME": the
// GPT first, then every super of it (a row with LP geometry); "SUPER/NAME" looks inside that
// super only.  Failure(usage) when the name is in the GPT and a super, or in two supers
// (listing them), or nowhere (partition_named's message, the logical names listed too).  A
// name two slots list with different extents: the lowest slot's (as lpunpack takes slot 0),
// with a Notice.  A super that cannot be read fails the lookup, unless the GPT has the name.
Region partition_region(const Input& in, const PartitionTable& table, std::string_view name, Notices& notices);

// The logical partition `name` of a bare super image (the whole input).
Region logical_region(const Input& in, std::string_view name, Notices& notices);

// "readonly,slot-suffixed" ("none" for 0).
std::string attribute_names(uint32_t attributes);

std::string write_lp_tsv(const std::vector<SuperView>& supers);
std::string write_lp_json(const std::vector<SuperView>& supers, const std::string& device);
std::string write_lp_human(const std::vector<SuperView>& supers, const std::string& device);

}  // namespace mtkfw::lp
