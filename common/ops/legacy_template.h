// A stock V1.1.1 scatter of the same model applied to a legacy MBR/EBR table (ops/mbr_reader.h):
// the MBR/EBR chain names no partition and lists none of the raw ones, so the names and the last
// partition's real size come from the template, after checking that the template describes this
// dump (doc/FORMATS.md "MBR and EBR (legacy MT65xx)").  Never a guess: any mismatch is a Failure.
#pragma once

#include <string>

#include "base/failure.h"
#include "format/scatter.h"
#include "format/table.h"
#include "io/input.h"

namespace mtkfw {

// Checks `scatter` (read from `source`) against `table` and names its rows:
// - the template's MBR row gives MBR_linear; a dump offset is linear - MBR_linear + the MBR's offset;
// - every data entry starts at a template row's start and has its size; the last (to-the-end)
//   entry takes the template row's size, which must fit in it; p1 (the link) is EBR1's row;
// - the template's BOOTIMG and RECOVERY hold "ANDROID!" where they sit and UBOOT LK's header
//   (0x58881688), unless that area of the dump is erased (a Notice then).
// Failures (invalid input) name the template row or the table entry that disagrees.
// The layout part alone (no dump: scatter-gen checks a table read back from gpt-list --tsv): the
// start and size rules above; names the rows.
void check_legacy_layout(const Scatter& scatter, const std::string& source, PartitionTable* table);

void apply_legacy_template(const Input& in, const Scatter& scatter, const std::string& source,
                           PartitionTable* table, Notices& notices);

}  // namespace mtkfw
