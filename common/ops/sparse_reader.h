// The one reader of Android sparse images (format/sparse_format.h), chunk by chunk, forward
// only (a pipe works): ext4-sparse -d expands what it reads, --verify compares it with the dump.
// Both see the same checks, so an image one of them accepts the other reads the same way:
//  - every header and size is validated, truncation is named by chunk and byte;
//  - the chunks must add up to total_blks, and none may run past it;
//  - bytes after the last of total_chunks chunks are not part of the image: ignored, as AOSP
//    libsparse (and so simg2img and fastboot) ignores them, with a warning Notice.
// CRC32 chunks are read, not checked: the decoder checks them against what it expands.
// With a tap, every byte of the file (headers, values, data, bytes after the last chunk) goes
// to it in order: the digests of the file as stored, from the one read (--verify --record).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/failure.h"
#include "format/sparse_format.h"
#include "io/input.h"
#include "io/window.h"
#include "ops/digest.h"

namespace mtkfw::sparse {

// One chunk as read: its header checked, the 4-byte value of a FILL or CRC32 chunk read, the
// data of a RAW chunk still to come (ChunkReader::map_raw / read_raw).
struct Chunk {
    uint32_t index = 0;        // from 1
    uint64_t offset = 0;       // byte of its header in the sparse file
    ChunkType type = ChunkType::dont_care;
    uint32_t blocks = 0;       // chunk_sz
    uint64_t first_block = 0;  // where it starts in the expanded image
    uint32_t value = 0;        // FILL: the pattern; CRC32: the checksum
    std::string where;         // "NAME: chunk 3 at byte 4136", for errors
};

class ChunkReader {
public:
    // Reads and validates the file header; `tap`, when given, gets every byte read.
    explicit ChunkReader(Input& image, DigestStream* tap = nullptr);
    const FileHeader& header() const { return file_; }
    const std::string& name() const { return in_.name(); }

    // The next of total_chunks chunks; false after the last one.  RAW data the caller left
    // unread is skipped.
    bool next(Chunk* chunk);
    // The next piece (at most `max` bytes, never more than is left) of the current RAW chunk's
    // data: mapped from the page cache when it is there, else read into the reader's buffer.
    Bytes map_raw(size_t max);
    // The same, read into `buffer` (its size is the most read).
    Bytes read_raw(std::span<uint8_t> buffer);
    uint64_t raw_left() const { return raw_left_; }

    // After the last chunk: checks the chunks cover total_blks and reports bytes after them.
    Summary finish(Notices& notices);

private:
    void read_value(void* p, size_t n);
    size_t read_tapped(void* p, size_t n);   // in_.read, the bytes to the tap
    void skip(uint64_t n);                   // in_.skip, or read into the tap
    size_t take_raw(size_t max) const;
    void check_read(size_t wanted, size_t got, uint64_t from) const;

    Input& in_;
    DigestStream* tap_;
    FileHeader file_;
    std::vector<uint8_t> chunk_head_;
    Window window_;
    Summary summary_;
    Chunk current_;
    uint64_t raw_left_ = 0;
};

}  // namespace mtkfw::sparse
