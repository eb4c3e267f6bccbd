// Choosing the partition a user named on the command line, with errors that help: an unknown
// name lists the names the table has and suggests the closest one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/table.h"

namespace mtkfw {

// The row named exactly `name`, else Failure(usage) naming `source` (the dump), the names
// that exist and the closest of them.
const PartitionRow& partition_named(const PartitionTable& table, std::string_view name, const std::string& source);

// The row of GPT entry `index` (1-based), else Failure(usage) listing the indexes in use.
const PartitionRow& partition_numbered(const PartitionTable& table, uint64_t index, const std::string& source);

// The candidate nearest to `word`: fewest edits (Levenshtein, case-insensitive), ties going to
// a candidate that contains `word`, then to the first.  Empty when there are no candidates.
std::string closest_word(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace mtkfw
