// Reading a whole small input (a partition table, a scatter file, a preloader) into memory.
// Only for inputs whose size is bounded by their format; dumps are never read this way.
#pragma once

#include <cstddef>
#include <string>

#include "io/input.h"

namespace mtkfw {

// Everything left in `in` (file or pipe), or Failure(invalid_input) when it holds more than
// `max_bytes` ("larger than N bytes: is this the right file?").
std::string slurp(Input& in, size_t max_bytes);

}  // namespace mtkfw
