// What a partition holds, for the table's "content" column: the ext2/3/4 superblock check (it
// lives with the ext4 reader) first, then the table of magics of format/content.h.  Source for
// the ext feature bits: e2fsprogs lib/ext2fs/ext2_fs.h.
#pragma once

#include <string>

#include "base/bytes.h"
#include "format/content.h"
#include "format/table.h"
#include "io/input.h"

namespace mtkfw {

// The kind and label of a partition from its first bytes (up to kContentProbeBytes).
Content detect_content(Bytes head);

// Fills `content` and `label` of every row that lies inside the (seekable) dump.
void detect_contents(const Input& in, PartitionTable* table);

// What `head` looks like when it is no BOOT1 readback: "an EMI settings block ...", "a disk with a
// GPT (a USER readback?)", "all 0xFF (erased)", "an ext4 file system", ...
std::string describe_non_boot(Bytes head);

}  // namespace mtkfw
