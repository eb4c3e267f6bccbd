// The --sector-size option of the tools that read a GPT (gpt-list, part-cut), read one way.
#pragma once

#include <cstdint>
#include <optional>

#include "cli/cli.h"
#include "ops/gpt_reader.h"

namespace mtkfw {

// 512 or 4096 when --sector-size was given (anything else is a usage Failure), else nullopt.
inline std::optional<uint32_t> sector_size_option(const Cli& cli) {
    const std::optional<std::string> text = cli.text("sector-size");
    if (!text) return std::nullopt;
    return parse_sector_size(*text, "--sector-size");
}

}  // namespace mtkfw
