// The file systems a partition name stands for in a dump, for the readers of small files inside
// them (ops/fs_file.h: build.prop, fstab): the GPT partition NAME, then NAME_<active slot> and
// NAME_<other slot> (`a` first when no slot is known), then the logical partitions of the same
// names inside each readable super (content `lp`, ops/lp_super.h).  A GPT partition counts only
// when it holds a file system we read (ext2/3/4 or erofs) and lies inside the dump; a logical one
// when it is not empty.  What reading super notices, or why it fails, gpt-list says already.
#pragma once

#include <string>
#include <vector>

#include "format/table.h"
#include "io/input.h"
#include "io/region.h"

namespace mtkfw {

struct NamedFs {
    Region region;
    std::string label;  // "vendor" (GPT) or "super/vendor_a" (inside super): for sources and messages
};

// In the order above; empty for a pipe.
std::vector<NamedFs> named_file_systems(const Input& in, const PartitionTable& table, const std::string& name);

}  // namespace mtkfw
