// Which 4096-byte blocks of a `super` partition hold something: the one definition of "used"
// that both the sparse encoder (ops/sparse_encode.h, a super's image) and the verifier
// (ops/sparse_verify.h, every used block written) apply.  doc/FORMATS.md "The sparse super"
// (offsets: AOSP liblp metadata_format.h and utility.cpp; the tail: libavb avb_footer.h).
//
// Physical blocks of super (relative to its start), in ascending order:
//  - [0, first_logical_sector * 512): used (the reserved 4 KiB, both geometries, every metadata
//    slot, primary and backup; the writer makes constant blocks FILL);
//  - the LINEAR extents of every logical partition of the union over all slots
//    (lp::logical_partitions), each mapping a logical range of its partition to a physical one:
//      ext4 (opened through lp::region_of): a block is used when a file-system block it holds is
//        used by the bitmaps (sparse::used_range), lies before s_first_data_block (the boot block
//        of a 1 KiB file system), or lies past s_blocks_count (the AVB hashtree and footer after
//        the file system); a damaged ext4 is used whole, with a warning;
//      erofs, f2fs, anything else, and every partition of a pipe (Contents::whole): used whole;
//  - a block that an extent covers only in part (a boundary not on a 4096 multiple): used;
//  - where extents of different slots overlap, used wins;
//  - everything else (gaps, the unallocated tail, space of deleted partitions): free.
//
// Memory: the map keeps its extents (views), the elementary spans between their boundaries and
// one ext4::Volume per ext4 partition (its group descriptors; one cached bitmap each).  All of
// these are bounded by the metadata: at most slots x metadata_max_size / 24 extents (LP extent
// entries are 24 bytes; 8192 for 3 slots of 64 KiB), about as many spans, and group descriptors
// of at most the super's size / 8 MiB groups for 1 KiB-block ext4.  Nothing is kept per block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/failure.h"
#include "io/input.h"
#include "ops/lp_super.h"
#include "ops/sparse_verify.h"

namespace mtkfw::lp {

constexpr uint32_t kSuperBlockBytes = 4096;  // the sparse super's blk_sz (liblp's logical block)

// One row of --info's per-partition split, in 4096-byte blocks of super.  A block two partitions
// share (slots overlapping) counts in both rows.
struct SplitRow {
    std::string name;     // a logical partition, "(metadata)" or "(unallocated)"
    std::string content;  // ext4, erofs, f2fs, unknown, "ext4 (unreadable, kept whole)", ...
    uint64_t blocks = 0, used = 0, raw = 0, fill = 0, dont_care = 0;
};

class SuperMap {
public:
    // Contents::read opens each partition (seekable input); Contents::whole takes every extent
    // as used without reading it (a pipe: the bitmaps cannot come before the blocks they say).
    enum class Contents { read, whole };

    // A range whose geometry magic says LP (lp::looks_like_super): its metadata read
    // (lp::read_super, whose Failures go up as they are) and mapped; nullopt otherwise.
    static std::optional<SuperMap> detect(const Input& in, uint64_t offset, uint64_t size, Notices& notices);
    // An already read super, `super.size` bytes long.
    static SuperMap open(const Input& in, Super super, Contents contents, Notices& notices);
    SuperMap(SuperMap&&) noexcept;
    SuperMap& operator=(SuperMap&&) noexcept;
    ~SuperMap();

    const Super& super() const;
    uint64_t blocks() const;  // super.size / 4096 (a short tail left out, with a warning)
    // "LP 10.2, 3 slots, 6 partitions" (slot 0's version; partitions of the union).
    std::string label() const;

    // Calls fn(first, count, used, owners) for consecutive runs covering blocks [from, to) in
    // ascending order; `owners` are the split rows (index into split_rows()) the run belongs to
    // (empty: no extent, "(unallocated)").  A new run starts where the owners change, so two
    // runs in a row may have the same status.  Stops when fn returns false.
    using RunFn = std::function<bool(uint64_t first, uint64_t count, bool used, const std::vector<uint32_t>& owners)>;
    void runs(uint64_t from, uint64_t to, const RunFn& fn) const;

    // The rows for --info (counts zero: the pass fills them): "(metadata)", each logical
    // partition with extents, then "(unallocated)" last.
    std::vector<SplitRow> split_rows() const;

    // The map as the verifier's UsedRange (byte ranges of super; the map must outlive it).
    sparse::UsedRange used_range() const;

private:
    class Impl;
    explicit SuperMap(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The pure part of the map, apart so that a unit test can lay out extents without a file: views
// (physical byte ranges of super, each of one owner) sorted into block-aligned spans.  `whole`
// says for an owner whether it is used throughout; otherwise `used(owner, logical, length)` is
// asked for each block a view covers entirely.
struct View {
    uint64_t first = 0, end = 0;  // physical bytes of super
    uint64_t logical = 0;         // the owner's logical byte at `first`
    uint32_t owner = 0;
};

class SpanMap {
public:
    using UsedFn = std::function<bool(uint32_t owner, uint64_t logical, uint64_t length)>;
    SpanMap(std::vector<View> views, std::vector<bool> whole, UsedFn used);
    void runs(uint64_t from, uint64_t to, const SuperMap::RunFn& fn) const;

private:
    struct Span {
        uint64_t first = 0, end = 0;    // blocks
        std::vector<uint32_t> views;    // covering it, whole or in part
        std::vector<uint32_t> owners;   // their owners, each once
        bool whole = false;             // some owner is used throughout
    };
    bool block_used(const Span& span, uint64_t block) const;

    std::vector<View> views_;
    std::vector<bool> whole_;
    UsedFn used_;
    std::vector<Span> spans_;           // sorted, disjoint, non-empty
};

}  // namespace mtkfw::lp
