// A stock V1.1.1 scatter of the same model applied to a legacy MBR/EBR table (ops/mbr_reader.h):
// the MBR/EBR chain names no partition and lists none of the raw ones, so the names and the last
// partition's real size come from the template, after checking that the template describes this
// dump (doc/FORMATS.md "MBR and EBR (legacy MT65xx)").  Never a guess: any mismatch is a Failure.
#pragma once

#include <set>
#include <string>

#include "base/failure.h"
#include "format/scatter.h"
#include "format/table.h"
#include "io/input.h"

namespace mtkfw {

// Checks `scatter` (read from `source`) against `table`, names its rows and adds the template's
// other user-area rows (MBR, EBRn but EBR1, UBOOT, BOOTIMG, ...: index 0, format/table.h) where the
// template puts them, after the entries; rows of index 0 already in `table` are made anew:
// - the template's MBR row gives MBR_linear; a dump offset is linear - MBR_linear + the MBR's offset;
// - every data entry starts at a template row's start and has its size; the last (to-the-end)
//   entry takes the template row's size, which must fit in it; p1 (the link) is EBR1's row;
// - (apply_legacy_template, with the dump) every added row lies inside the dump; the template's
//   BOOTIMG and RECOVERY hold "ANDROID!" where they sit and UBOOT LK's header (0x58881688), unless
//   that area of the dump is erased (a Notice then); its MBR and EBRn rows start where the chain's
//   tables are, and the chain has no table the template lacks.
// Failures (invalid input) name the template row or the table entry that disagrees.
// The layout part alone (no dump: scatter-gen checks a table read back from gpt-list --tsv): the
// start and size rules above; names the rows.
void check_legacy_layout(const Scatter& scatter, const std::string& source, PartitionTable* table);

// The scatter a legacy firmware folder ships: `stock` once check_legacy_layout passed on `table`,
// with physical_start_addr = linear - the MBR row's linear on every user-area row (MODERN.md 5.2:
// tool-written templates hold 0x0 there; a Notice names the rows set) and the rows named in
// `skip` (any case) not downloaded (is_download false, file_name and type NONE, as ptgen writes such rows:
// MODERN.md 5.1).  A `skip` name the template lacks is a usage Failure naming --skip.
Scatter legacy_scatter(const Scatter& stock, const std::string& source, PartitionTable* table,
                       const std::set<std::string>& skip, Notices& notices);

void apply_legacy_template(const Input& in, const Scatter& scatter, const std::string& source,
                           PartitionTable* table, Notices& notices);

}  // namespace mtkfw
