// Copying a byte range of an input to an Output with the kernel's own paths, in constant memory.
//
//   input          output           how
//   file/device    regular file     SEEK_DATA/SEEK_HOLE map of the range; holes stay holes.
//                                   Data extents: copy_file_range where the file system shares
//                                   or offloads copies (btrfs, XFS, bcachefs, ZFS, NFS, SMB,
//                                   Ceph: reflinks, server-side copy); elsewhere (ext4, tmpfs,
//                                   ...) the extent is mapped in small windows and written from
//                                   the mapping, one memory copy instead of read()+write()'s two,
//                                   with runs of zero blocks left as holes.
//   file/device    pipe, device     sendfile (in-kernel), else the buffer loop.
//   pipe           pipe             splice (in-kernel), else the buffer loop.
//   pipe           anything else    a 1 MiB buffer loop; zero runs become holes in a regular file.
//
// Zero runs: 4 KiB blocks (aligned in the output) that are all zero, in runs of at least
// kMinZeroRun bytes, are skipped with lseek so a mostly empty partition costs almost no disk;
// shorter runs are written, so files are not fragmented by scattered zero blocks.
#pragma once

#include <cstdint>
#include <string>

#include "input.h"
#include "output.h"
#include "progress.h"

namespace mtkfw {

constexpr uint64_t kMinZeroRun = 64 * 1024;

struct CopyReport {
    uint64_t bytes = 0;       // bytes copied (holes included)
    uint64_t hole_bytes = 0;  // of which left as holes in the output
    std::string method;       // "copy_file_range", "mmap", "sendfile", "splice", "read/write"
};

// Fails (invalid input) when [offset, offset+size) does not lie inside a seekable input,
// naming how many bytes are missing.  `what` names the range in the message ("partition boot").
void check_range(const Input& in, uint64_t offset, uint64_t size, const std::string& what);

// Copies `size` bytes of `in` from `offset` to `out`'s current position.  A pipe is read forward
// and what lies before `offset` discarded; a pipe that ends early is a Failure naming the
// missing bytes.  Does not commit `out`.
CopyReport copy_range(Input& in, uint64_t offset, uint64_t size, Output& out, const std::string& what,
                      Progress& progress);

}  // namespace mtkfw
