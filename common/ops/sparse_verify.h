// Proof that a sparse image is a faithful copy of the partition it was made from, for the
// pipeline's verification step (ext4-sparse --verify):
//  - it covers the partition exactly (total_blks x blk_sz = the partition's size);
//  - every block a RAW or FILL chunk writes equals the partition's block in the dump;
//  - with a file system, no used block falls in a DONT_CARE chunk (every used block is written).
// The sparse image is read forward once through the one chunk reader (ops/sparse_reader.h: the
// same checks as ext4-sparse -d, bytes after the last chunk a warning); the dump with pread.
#pragma once

#include <cstdint>
#include <functional>

#include "base/failure.h"
#include "format/sparse_format.h"
#include "io/input.h"
#include "ops/digest.h"
#include "ops/ext4_volume.h"

namespace mtkfw::sparse {

// Is any byte of [first, first + length) of the partition in use?  (empty: nothing is.)
using UsedRange = std::function<bool(uint64_t first, uint64_t length)>;

// Throws Failure(invalid_input) naming the first chunk (number and byte offset in the sparse
// file) that differs from the dump or skips a used block.  `tap`, when given, gets every byte of
// the sparse file in order (ChunkReader's tap): its digests from the same read.
Summary verify(Input& image, const Input& dump, uint64_t offset, uint64_t size, const UsedRange& used,
               Notices& notices, DigestStream* tap = nullptr);

// The used blocks of an ext2/3/4 file system (its bitmaps, BLOCK_UNINIT groups computed) as a
// UsedRange.  Bytes past the file system's last block are free.
UsedRange used_range(const ext4::Volume& volume);

}  // namespace mtkfw::sparse
