// The GPT of a USER dump read off an Input: the primary, on a seekable input the backup too,
// both checked with format/gpt.h and compared.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/failure.h"
#include "format/gpt.h"
#include "format/table.h"
#include "io/input.h"

namespace mtkfw {

// "512" or "4096" (`option` names where the text came from); anything else is a usage Failure.
uint32_t parse_sector_size(std::string_view text, std::string_view option);

struct GptReadOptions {
    std::optional<uint32_t> sector_size;  // 512 or 4096; detected when unset
    // A dump shorter than its GPT is a warning, not a Failure: for tools that list what is there
    // (gpt-list, a "PGPT-only" readback) or need only one partition and check its own end (part-cut).
    bool allow_truncated = false;
};

// Reads the primary GPT and, on a seekable input, the backup; falls back to the backup when
// the primary is damaged.  Problems that still leave a trustworthy table are Notices; no valid
// GPT, or a dump shorter than its GPT (naming the cut partitions; unless allow_truncated), is a
// Failure.
// A pipe is read forward only as far as the primary entries.
PartitionTable read_gpt(Input& in, const GptReadOptions& options, Notices& notices);

}  // namespace mtkfw
