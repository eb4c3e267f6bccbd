// Expanding an Android sparse image to the raw image it describes (ext4-sparse -d), read forward
// through the one chunk reader (ops/sparse_reader.h: its checks and its rule for bytes after the
// last chunk).
#pragma once

#include "base/failure.h"
#include "base/progress.h"
#include "format/sparse_format.h"
#include "io/input.h"
#include "io/output.h"

namespace mtkfw::sparse {

// Reads a sparse image from `in` (forward only: pipes work) and writes the expanded image to
// `out`: DONT_CARE as holes when `out` is a regular file.  CRC32 chunks are checked against the
// data so far.  Returns what the image held.
Summary decode(Input& in, Output& out, const ProgressFn& progress, Notices& notices);

}  // namespace mtkfw::sparse
