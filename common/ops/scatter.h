// Reading a scatter file (format/scatter.h) from disk or standard input.
#pragma once

#include <string>

#include "format/scatter.h"

namespace mtkfw {

// Reads the scatter file at `path` ("-" = standard input), at most 16 MiB.
Scatter read_scatter(const std::string& path);

}  // namespace mtkfw
