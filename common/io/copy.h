// Copying a byte range of an input to an Output with the kernel's own paths, in constant memory.
//
//   input          output           how
//   file/device    regular file     SEEK_DATA/SEEK_HOLE map of the range; holes stay holes.
//                                   Data: copy_file_range (one copy inside the kernel; a
//                                   reflink or server-side copy on Btrfs, XFS, bcachefs, ZFS,
//                                   NFS, SMB, Ceph); if the kernel cannot, a read/write loop.
//   file/device    pipe, device     sendfile (in-kernel), else the buffer loop.
//   pipe           pipe             splice (in-kernel), else the buffer loop.
//   pipe           anything else    a 1 MiB buffer loop.
//
// Zeros stored in a dense input become holes in a regular output file, at two grains:
// - the buffer loop scans every 4 KiB block (aligned in the output) and skips runs of at
//   least kMinZeroRun bytes; shorter runs are written, so scattered zero blocks do not
//   fragment the file;
// - in front of copy_file_range (where it does not share extents), one 4 KiB block is read
//   per kPieceBytes piece of the output: a piece that starts with data goes to the kernel
//   whole, a piece that starts with zeros is read and scanned.  Dense data costs 1/128 more
//   reading; a mostly empty partition costs almost no disk.  (Where copies are shared, zeros
//   are shared too and cost nothing.)
#pragma once

#include <cstdint>
#include <string>

#include "io/input.h"
#include "io/output.h"
#include "base/progress.h"

namespace mtkfw {

constexpr uint64_t kMinZeroRun = 64 * 1024;
constexpr uint64_t kPieceBytes = 512 * 1024;

struct CopyReport {
    uint64_t bytes = 0;       // bytes copied (holes included)
    uint64_t hole_bytes = 0;  // of which left as holes in the output
    std::string method;       // "copy_file_range", "sendfile", "splice", "read/write"
};

// Fails (invalid input) when [offset, offset+size) does not lie inside a seekable input,
// naming how many bytes are missing.  `what` names the range in the message ("partition boot").
void check_range(const Input& in, uint64_t offset, uint64_t size, const std::string& what);

// Copies `size` bytes of `in` from `offset` to `out`'s current position.  A pipe is read forward
// and what lies before `offset` discarded; a pipe that ends early is a Failure naming the
// missing bytes.  Does not commit `out`.
CopyReport copy_range(Input& in, uint64_t offset, uint64_t size, Output& out, const std::string& what,
                      const ProgressFn& progress);

}  // namespace mtkfw
