// Where a file system is taken from inside a dump (ext4-sparse's --offset and --size), checked
// against the file system found there and the dump's GPT, so that an image never silently covers
// the partitions after it nor more than its partition.
#pragma once

#include <cstdint>
#include <optional>

#include "base/failure.h"
#include "io/input.h"

namespace mtkfw {

struct FsPlacement {
    uint64_t offset = 0;
    std::optional<uint64_t> size;  // none: to the end of the input
};

// For an --offset into a dump: a usage Failure when no size is given and the file system (or a
// super, by the size its LP metadata gives) ends before the input does (or the input is a pipe, whose end is known only after the image is
// written), naming the --size to give (the GPT partition's length when the dump has one); a
// warning in `notices` when the size runs past the file system's end and is not the length of
// the GPT partition at the offset (a partition longer than its file system is normal: userdata's
// encryption footer).  Anything the encoder rejects anyway (no file system, a range past the
// end) is left to it.
void check_fs_placement(Input& in, const FsPlacement& where, Notices& notices);

}  // namespace mtkfw
