#include "format/erofs.h"

#include <lz4.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw::erofs {
namespace {

constexpr unsigned kMinBlkszBits = 9, kMaxBlkszBits = 16;
constexpr uint16_t kFormatExtended = 0x1, kFormatNlink1 = 0x10, kFormatAll = 0x1F;
constexpr unsigned kFormatLayoutShift = 1, kFormatLayoutMask = 0x7;
constexpr uint16_t kFiPartialRef = 0x8000;
constexpr uint8_t kClusterBitsFragment = 0x80;
constexpr uint64_t kNidMetabox = 1ULL << 63;

[[noreturn]] void corrupt(const std::string& what, const std::string& why) {
    fail_input(what, "corrupt erofs file system: " + why);
}

// The incompatible features by name, for refusals.
std::string feature_name(uint32_t bit) {
    switch (bit) {
        case kIncompatMetabox: return "METABOX (inodes inside a metabox inode)";
        default: return "unknown incompatible feature " + hex(bit);
    }
}

// Reads a compact value `i` of a pack: lo bits, then 2 type bits.
struct Value {
    unsigned lo;
    uint8_t type;
};
Value compact_value(Bytes pack, unsigned encodebits, unsigned lobits, unsigned i) {
    const unsigned bit = encodebits * i;
    // Four bytes from bit / 8 lie inside the pack (the last value ends 4 bytes before its end,
    // where the base block sits, so this may read into that, masked off below).
    const uint32_t v = le32(pack, bit / 8) >> (bit % 8);
    return {v & ((1u << lobits) - 1), static_cast<uint8_t>((v >> lobits) & 3)};
}

}  // namespace

Superblock parse_superblock(Bytes sb, const std::string& what) {
    if (sb.size() < kSuperblockSize || le32(sb, kSMagicAt) != kMagic) fail_input(what, "not an erofs file system");
    Superblock s;
    s.blkszbits = sb[kSBlkszBitsAt];
    if (s.blkszbits < kMinBlkszBits || s.blkszbits > kMaxBlkszBits) {
        corrupt(what, "block size 2^" + std::to_string(s.blkszbits) + " (erofs uses 512 B .. 64 KiB)");
    }
    s.block_size = 1u << s.blkszbits;
    s.feature_compat = le32(sb, kSFeatureCompatAt);
    s.feature_incompat = le32(sb, kSFeatureIncompatAt);
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
        if ((s.feature_incompat & bit) && !(kIncompatSupported & bit)) {
            fail_input(what, "erofs feature " + feature_name(bit) + " is not supported", Remedy::copy_every_block);
        }
    }
    s.blocks = le32(sb, kSBlocksLoAt);
    if (s.has(kIncompat48bit)) {
        s.blocks |= static_cast<uint64_t>(le16(sb, kSRootNid2At)) << 32;
        s.root_nid = le64(sb, kSRootNid8At);
    } else {
        s.root_nid = le16(sb, kSRootNid2At);
    }
    s.meta_blkaddr = le32(sb, kSMetaBlkaddrAt);
    if (s.has(kIncompatComprCfgs)) s.compr_algs = le16(sb, kSComprAlgsAt);
    if (le16(sb, kSExtraDevicesAt) != 0) {
        fail_input(what, "erofs with " + std::to_string(le16(sb, kSExtraDevicesAt)) +
                             " extra devices (blobs kept elsewhere) is not supported");
    }
    if (sb[kSDirBlkBitsAt] != 0) corrupt(what, "directory block bits " + std::to_string(sb[kSDirBlkBitsAt]) + " (must be 0)");
    s.label = ascii_field(sb, kSVolumeNameAt, kSVolumeNameSize);
    return s;
}

bool is_extended(Bytes raw) { return le16(raw, kIFormatAt) & kFormatExtended; }

Inode parse_inode(Bytes raw, uint64_t nid, uint64_t pos, const Superblock& sb) {
    const std::string what = "inode " + std::to_string(nid);
    const uint16_t format = le16(raw, kIFormatAt);
    if (format & ~kFormatAll) corrupt(what, "unsupported i_format " + hex(format));
    Inode ino;
    ino.nid = nid;
    ino.pos = pos;
    ino.layout = static_cast<uint8_t>((format >> kFormatLayoutShift) & kFormatLayoutMask);
    if (ino.layout > kLayoutChunkBased) corrupt(what, "unknown data layout " + std::to_string(ino.layout));
    const bool extended = format & kFormatExtended;
    if (extended && raw.size() < kExtendedInodeSize) corrupt(what, "extended inode cut short");
    ino.inode_bytes = extended ? kExtendedInodeSize : kCompactInodeSize;
    const uint16_t xattrs = le16(raw, kIXattrCountAt);
    ino.xattr_bytes = xattrs == 0 ? 0 : 12 + 4u * (xattrs - 1u);
    ino.mode = le16(raw, kIModeAt);
    ino.size = extended ? le64(raw, kIExtendedSizeAt) : le32(raw, kICompactSizeAt);
    // The start block's high half: extended inodes, and compact non-directories with NLINK_1;
    // elsewhere the field is nlink and the block number is 32 bits.
    const bool has_hi = extended || (!ino.is_dir() && (format & kFormatNlink1));
    const uint64_t mask = has_hi ? (1ULL << 48) - 1 : (1ULL << 32) - 1;
    const uint64_t start = le32(raw, kIUAt) | (has_hi ? static_cast<uint64_t>(le16(raw, kINbAt)) << 32 : 0);
    ino.start_block = start;
    if (ino.layout == kLayoutFlatPlain && (start & mask) == mask) ino.start_block = kNullBlock;
    ino.chunk_format = le16(raw, kIUAt);
    if (ino.layout == kLayoutChunkBased && (ino.chunk_format & ~(kChunkBitsMask | kChunkIndexes | kChunk48bit))) {
        corrupt(what, "unsupported chunk format " + hex(ino.chunk_format));
    }
    if ((ino.layout == kLayoutChunkBased && !sb.has(kIncompatChunkedFile))) {
        corrupt(what, "a chunk-based inode without the CHUNKED_FILE feature");
    }
    return ino;
}

std::vector<Dirent> parse_dir_block(Bytes block, uint32_t block_size, const std::string& what) {
    if (block.size() < kDirentSize) corrupt(what, "directory block of " + std::to_string(block.size()) + " bytes");
    const size_t first = le16(block, kDNameOffAt);
    if (first < kDirentSize || first % kDirentSize != 0 || first >= block_size || first > block.size()) {
        corrupt(what, "directory block's first name at " + std::to_string(first));
    }
    const size_t count = first / kDirentSize;
    std::vector<Dirent> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        const Bytes e = block.subspan(i * kDirentSize, kDirentSize);
        const size_t off = le16(e, kDNameOffAt);
        size_t end;
        if (i + 1 < count) {
            end = le16(block, (i + 1) * kDirentSize + kDNameOffAt);
        } else {  // the last name runs to the first NUL or the block's end
            end = off;
            while (end < block.size() && block[end] != 0) ++end;
        }
        if (off < first || end < off || end > block.size() || end - off > kMaxNameLen || end == off) {
            corrupt(what, "directory entry " + std::to_string(i) + " has its name at " + std::to_string(off) + ".." +
                              std::to_string(end) + ", outside its " + std::to_string(block.size()) + "-byte block");
        }
        Dirent d;
        d.nid = le64(e, kDNidAt);
        if (d.nid & kNidMetabox) corrupt(what, "directory entry in a metabox (not supported)");
        d.file_type = e[kDFileTypeAt];
        d.name.assign(reinterpret_cast<const char*>(block.data()) + off, end - off);
        out.push_back(std::move(d));
    }
    return out;
}

std::string algorithm_name(unsigned alg) {
    switch (alg) {
        case kAlgLz4: return "lz4";
        case kAlgLzma: return "lzma";
        case kAlgDeflate: return "deflate";
        case kAlgZstd: return "zstd";
        default: return "algorithm " + std::to_string(alg);
    }
}

MapHeader parse_map_header(Bytes h, uint8_t layout, const Superblock& sb, const std::string& what) {
    MapHeader m;
    if (h[kHClusterBitsAt] & kClusterBitsFragment) {
        fail_input(what, "compressed file kept whole in the packed inode (erofs fragments) is not supported");
    }
    m.advise = le16(h, kHAdviseAt);
    if (layout == kLayoutCompressedFull && (m.advise & kAdviseExtents)) {
        fail_input(what, "compressed file with extent records (erofs-utils 1.8+) is not supported");
    }
    if (m.advise & kAdviseFragmentPcluster) {
        fail_input(what, "compressed file whose tail is a fragment of the packed inode is not supported");
    }
    m.algorithm[0] = h[kHAlgorithmAt] & 0xF;
    m.algorithm[1] = h[kHAlgorithmAt] >> 4;
    m.lcluster_bits = static_cast<uint8_t>(sb.blkszbits + (h[kHClusterBitsAt] & 0xF));
    if (m.advise & kAdviseInlinePcluster) {
        if (!sb.has(kIncompatZtailpacking)) corrupt(what, "an inline tail cluster without the ZTAILPACKING feature");
        m.idata_size = le16(h, kHIdataSizeAt);
    }
    if (layout == kLayoutCompressedCompact &&
        !(m.advise & kAdviseBigPcluster1) != !(m.advise & kAdviseBigPcluster2)) {
        corrupt(what, "compact indexes with big pclusters for one head type only");
    }
    return m;
}

Lcluster parse_full_index(Bytes e, unsigned lcluster_bits, const std::string& what) {
    Lcluster l;
    const uint16_t advise = le16(e, kFiAdviseAt);
    l.type = advise & 3;
    if (l.type == kNonHead) {
        const uint16_t d0 = le16(e, kFiBlkaddrAt);
        if (d0 & kD0Cblkcnt) l.cblkcnt = d0 & ~kD0Cblkcnt;
        return l;
    }
    l.partial_ref = advise & kFiPartialRef;
    l.clusterofs = le16(e, kFiClusterOfsAt);
    l.blkaddr = le32(e, kFiBlkaddrAt);
    if (l.clusterofs >= (1u << lcluster_bits)) corrupt(what, "cluster offset " + std::to_string(l.clusterofs) + " past its cluster");
    return l;
}

CompactPosition compact_position(uint64_t index_base, uint64_t lcn, uint64_t total, bool compacted_2b,
                                 unsigned lcluster_bits, const std::string& what) {
    // Leading 4-byte values up to the first 32-byte boundary, then (COMPACTED_2B) 2-byte values
    // for a multiple of 16 lclusters, then 4-byte values.
    const uint64_t initial4 = ((32 - index_base % 32) / 4) & 7;
    const uint64_t count2 = compacted_2b && initial4 < total ? (total - initial4) / 16 * 16 : 0;
    uint64_t pos = index_base;
    unsigned shift = 2;
    if (lcn < initial4) {
        pos += lcn * 4;
    } else if (lcn - initial4 < count2) {
        pos += initial4 * 4 + (lcn - initial4) * 2;
        shift = 1;
    } else {
        pos += initial4 * 4 + count2 * 2 + (lcn - initial4 - count2) * 4;
    }
    CompactPosition at;
    at.vcnt = shift == 2 ? 2 : 16;
    if ((shift == 2 && lcluster_bits > 14) || (shift == 1 && lcluster_bits > 12)) {
        corrupt(what, "compact indexes with " + std::to_string(lcluster_bits) + "-bit clusters");
    }
    at.pack_bytes = at.vcnt << shift;
    at.pack = pos / at.pack_bytes * at.pack_bytes;
    at.index = static_cast<unsigned>((pos - at.pack) >> shift);
    return at;
}

Lcluster parse_compact_index(Bytes pack, const CompactPosition& at, unsigned lcluster_bits, bool big_pcluster,
                             const std::string& what) {
    const unsigned lobits = std::max(lcluster_bits, 12u);
    const unsigned encodebits = (at.pack_bytes - 4) * 8 / at.vcnt;
    const Value v = compact_value(pack, encodebits, lobits, at.index);
    Lcluster l;
    l.type = v.type;
    if (v.type == kNonHead) {
        if (v.lo & kD0Cblkcnt) {
            if (!big_pcluster) corrupt(what, "a block count in a file without big pclusters");
            l.cblkcnt = v.lo & ~kD0Cblkcnt;
        }
        return l;
    }
    if (v.lo >= (1u << lcluster_bits)) corrupt(what, "cluster offset " + std::to_string(v.lo) + " past its cluster");
    l.clusterofs = static_cast<uint16_t>(v.lo);
    // The pack's base block plus the blocks of the pclusters before this head in the pack.
    uint64_t blocks = big_pcluster ? 0 : 1;
    for (unsigned i = 0; i < at.index; ++i) {
        const Value p = compact_value(pack, encodebits, lobits, i);
        if (!big_pcluster) {
            if (p.type != kNonHead) ++blocks;
        } else if (p.type == kNonHead) {
            if (p.lo & kD0Cblkcnt) blocks += p.lo & ~kD0Cblkcnt;
        } else {
            // A head whose block count is not the next value (that value is this head, or a
            // head, or outside the pack) spans one block.
            const bool counted = i + 1 < at.index && [&] {
                const Value n = compact_value(pack, encodebits, lobits, i + 1);
                return n.type == kNonHead && (n.lo & kD0Cblkcnt);
            }();
            if (!counted) ++blocks;
        }
    }
    l.blkaddr = le32(pack, at.pack_bytes - 4) + blocks;
    return l;
}

void decode_pcluster(Bytes raw, bool plain, bool interlaced, uint64_t la, uint32_t block_size, uint8_t* out,
                     size_t n, const std::string& what) {
    if (plain) {
        if (n > raw.size()) corrupt(what, "an uncompressed cluster of " + std::to_string(raw.size()) +
                                              " bytes for " + std::to_string(n) + " bytes of data");
        if (!interlaced) {
            std::memcpy(out, raw.data(), n);
            return;
        }
        if (raw.size() > block_size) corrupt(what, "an interlaced cluster larger than a block");
        const size_t skip = la % block_size;
        const size_t right = std::min<size_t>(block_size - skip, n);
        if (skip + right > raw.size()) corrupt(what, "an interlaced cluster shorter than its data");
        std::memcpy(out, raw.data() + skip, right);
        std::memcpy(out + right, raw.data(), n - right);
        return;
    }
    size_t margin = 0;
    while (margin < raw.size() && raw[margin] == 0) ++margin;
    if (margin == raw.size()) corrupt(what, "an lz4 cluster of zeros only");
    if (n > static_cast<size_t>(INT_MAX) || raw.size() - margin > static_cast<size_t>(INT_MAX)) {
        corrupt(what, "an lz4 cluster too large");
    }
    const int got = LZ4_decompress_safe_partial(reinterpret_cast<const char*>(raw.data() + margin),
                                                reinterpret_cast<char*>(out), static_cast<int>(raw.size() - margin),
                                                static_cast<int>(n), static_cast<int>(n));
    if (got != static_cast<int>(n)) {
        corrupt(what, "corrupt lz4 stream (" + (got < 0 ? std::string("undecodable") : "gave " + std::to_string(got) +
                                                                                          " of " + std::to_string(n) + " bytes") + ")");
    }
}

}  // namespace mtkfw::erofs
