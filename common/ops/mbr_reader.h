// A legacy MT65xx user-area dump's MBR and EBR chain read off an Input (doc/FORMATS.md "MBR and EBR (legacy MT65xx)"): the MBR found
// at one of the offsets readbacks put it, the chain followed and checked, the entries turned into
// rows numbered as Linux numbers them (MBR slots p1-p4, p1 being the link to EBR1; logical
// partitions from p5 in chain order, several per EBR as MediaTek writes them).
#pragma once

#include <cstdint>
#include <optional>

#include "base/failure.h"
#include "format/table.h"
#include "io/input.h"

namespace mtkfw {

// Where a MediaTek MBR (format/mbr.h is_mediatek_mbr) sits: user offset 0, or a 512 KiB multiple up
// to 32 MiB (0x380000, 0x600000, 0xC00000, 0x1400000 seen: a readback that starts in linear space
// or mtkclient's 0x380000), the first whose slot 0 leads to a 55 AA sector, else the first of that
// shape (read_mbr then says what is wrong with its EBR1).  nullopt: none, an
// "EFI PART" header at LBA 1 (a GPT dump is read as one), or a pipe (never searched).
std::optional<uint64_t> find_mbr(const Input& in);

// Reads the MBR at `mbr_offset` and its EBR chain.  Rows: start and size in bytes from the start of
// the dump, type_guid the type as sfdisk writes it ("83"), source the table ("MBR", "EBR1", ...),
// names empty (no table names them: gpt-list --template does).  p1, the chain's container, runs
// from EBR1 to the end of the dump (its count is MediaTek's 0xFFFFFFFF).  The last partition, whose count is
// MediaTek's "to the end" count, ends at the end of the dump (a Notice says so).
// Failures (invalid input) name the table and slot: a table without 55 AA, a link or entry past the
// dump, a loop, overlapping entries, a chain longer than 128 tables.
PartitionTable read_mbr(const Input& in, uint64_t mbr_offset, Notices& notices);

}  // namespace mtkfw
