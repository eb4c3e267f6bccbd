#include "ops/erofs_file.h"

#include <algorithm>
#include <functional>

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw::erofs {
namespace {

constexpr uint64_t kMaxDirectoryBytes = 16u << 20;
// erofs_fs.h: the largest encoded pcluster (Z_EROFS_PCLUSTER_MAX_SIZE) and decoded extent
// (Z_EROFS_PCLUSTER_MAX_DSIZE) the format allows.
constexpr uint64_t kMaxPclusterBytes = 1u << 20;
constexpr uint64_t kMaxExtentBytes = 12u << 20;
constexpr size_t kFullIndexGap = 8;  // reserved bytes between the map header and full indexes
constexpr unsigned kMaxLclusterBits = 30;

uint64_t round_up(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }

class Reader {
public:
    explicit Reader(const Region& fs) : fs_(fs), sb_(read_superblock(fs)), end_(sb_.bytes()) {}

    const Superblock& sb() const { return sb_; }

    [[noreturn]] void corrupt(const std::string& why) const {
        fail_input(fs_.name(), "corrupt erofs file system: " + why);
    }

    // `n` bytes of the file system at `pos`: a Failure outside it.
    std::vector<uint8_t> bytes(uint64_t pos, uint64_t n) const {
        if (pos > end_ || n > end_ - pos) {
            corrupt(std::to_string(n) + " bytes at byte " + std::to_string(pos) + " lie outside the file system (" +
                    std::to_string(end_) + " bytes)");
        }
        std::vector<uint8_t> buf(n);
        fs_.read_at(buf.data(), n, pos);
        return buf;
    }

    Inode inode(uint64_t nid) const {
        const uint64_t meta = sb_.meta_blkaddr << sb_.blkszbits;
        if (meta >= end_ || nid > (end_ - meta) / kCompactInodeSize) {
            corrupt("inode " + std::to_string(nid) + " lies outside the file system");
        }
        const uint64_t pos = meta + nid * kCompactInodeSize;
        std::vector<uint8_t> raw = bytes(pos, std::min<uint64_t>(kCompactInodeSize, end_ - pos));
        if (raw.size() < kCompactInodeSize) corrupt("inode " + std::to_string(nid) + " cut short by the end");
        if (is_extended(raw)) raw = bytes(pos, kExtendedInodeSize);
        return parse_inode(raw, nid, pos, sb_);
    }

    // The first `want` bytes of the inode's data (want <= its size).
    std::string data(const Inode& ino, uint64_t want) const {
        std::string out(want, '\0');
        if (want == 0) return out;
        switch (ino.layout) {
            case kLayoutFlatPlain:
            case kLayoutFlatInline: flat(ino, want, out); break;
            case kLayoutChunkBased: chunked(ino, want, out); break;
            default: compressed(ino, want, out); break;
        }
        return out;
    }

    // Calls fn for each entry of directory `dir`.
    void for_each_entry(const Inode& dir, const std::function<void(const Dirent&)>& fn) const {
        const std::string what = fs_.name() + ": directory inode " + std::to_string(dir.nid);
        if (dir.size > kMaxDirectoryBytes || dir.size > end_) {
            corrupt("directory inode " + std::to_string(dir.nid) + " of " + std::to_string(dir.size) + " bytes");
        }
        const std::string d = data(dir, dir.size);
        const Bytes all(reinterpret_cast<const uint8_t*>(d.data()), d.size());
        for (uint64_t at = 0; at < all.size(); at += sb_.block_size) {
            const Bytes block = all.subspan(at, std::min<uint64_t>(sb_.block_size, all.size() - at));
            for (const Dirent& e : parse_dir_block(block, sb_.block_size, what)) fn(e);
        }
    }

    // The inode at `path`, or nullopt when a component is missing or not a directory.
    std::optional<Inode> resolve(std::string_view path) const {
        Inode ino = inode(sb_.root_nid);
        if (!ino.is_dir()) corrupt("the root (inode " + std::to_string(sb_.root_nid) + ") is not a directory");
        for (const std::string_view part : path_components(path)) {
            if (!ino.is_dir()) return std::nullopt;
            std::optional<uint64_t> next;
            for_each_entry(ino, [&](const Dirent& e) {
                if (!next && e.name == part) next = e.nid;
            });
            if (!next) return std::nullopt;
            ino = inode(*next);
        }
        return ino;
    }

private:
    void flat(const Inode& ino, uint64_t want, std::string& out) const {
        const uint64_t bs = sb_.block_size;
        const bool tail = ino.layout == kLayoutFlatInline;
        const uint64_t blocks = (ino.size + bs - 1) / bs;
        const uint64_t in_blocks = (blocks - (tail ? 1 : 0)) * bs;  // bytes stored in whole blocks
        const uint64_t head = std::min(want, in_blocks);
        if (head > 0 && ino.start_block != kNullBlock) {
            if (ino.start_block > end_ >> sb_.blkszbits) corrupt("inode " + std::to_string(ino.nid) + "'s data block lies outside");
            const std::vector<uint8_t> b = bytes(ino.start_block << sb_.blkszbits, head);
            std::copy(b.begin(), b.end(), out.begin());
        }
        if (want > in_blocks) {
            const uint64_t n = want - in_blocks, pos = ino.tail_pos();
            if (pos % bs + (ino.size - in_blocks) > bs) corrupt("inode " + std::to_string(ino.nid) + "'s inline data crosses a block");
            const std::vector<uint8_t> b = bytes(pos, n);
            std::copy(b.begin(), b.end(), out.begin() + static_cast<ptrdiff_t>(in_blocks));
        }
    }

    void chunked(const Inode& ino, uint64_t want, std::string& out) const {
        const unsigned bits = sb_.blkszbits + (ino.chunk_format & kChunkBitsMask);
        const bool indexes = ino.chunk_format & kChunkIndexes;
        const uint64_t unit = indexes ? 8 : 4, chunk = 1ULL << bits;
        const uint64_t chunks = (want + chunk - 1) / chunk;
        const std::vector<uint8_t> table = bytes(round_up(ino.tail_pos(), unit), chunks * unit);
        const uint64_t mask = indexes && (ino.chunk_format & kChunk48bit) ? (1ULL << 48) - 1 : (1ULL << 32) - 1;
        for (uint64_t c = 0; c < chunks; ++c) {
            const Bytes e = Bytes(table).subspan(c * unit, unit);
            const uint64_t start = (indexes ? le32(e, kCiStartLoAt) | static_cast<uint64_t>(le16(e, kCiStartHiAt)) << 32
                                            : le32(e, 0)) & mask;
            if (start == mask) continue;  // a hole
            const uint64_t la = c << bits, n = std::min(chunk, want - la);
            if (start > end_ >> sb_.blkszbits) corrupt("inode " + std::to_string(ino.nid) + "'s chunk lies outside");
            const std::vector<uint8_t> b = bytes(start << sb_.blkszbits, n);
            std::copy(b.begin(), b.end(), out.begin() + static_cast<ptrdiff_t>(la));
        }
    }

    // The lcluster indexes of one compressed inode, read a pack (or an entry) at a time.
    class Indexes {
    public:
        Indexes(const Reader& r, const Inode& ino, const MapHeader& mh)
            : r_(r), ino_(ino), mh_(mh), base_(round_up(ino.tail_pos(), 8) + kMapHeaderSize),
              what_(r.fs_.name() + ": inode " + std::to_string(ino.nid)) {}

        Lcluster at(uint64_t lcn) {
            if (ino_.layout == kLayoutCompressedFull) {
                const uint64_t pos = base_ + kFullIndexGap + lcn * kFullIndexSize;
                const Lcluster l = parse_full_index(r_.bytes(pos, kFullIndexSize), mh_.lcluster_bits, what_);
                if (l.cblkcnt && !(mh_.advise & (kAdviseBigPcluster1 | kAdviseBigPcluster2))) {
                    r_.corrupt("inode " + std::to_string(ino_.nid) + ": a block count without big pclusters");
                }
                return l;
            }
            const CompactPosition p = position(lcn);
            if (p.pack != pack_at_ || pack_.empty()) {
                pack_ = r_.bytes(p.pack, p.pack_bytes);
                pack_at_ = p.pack;
            }
            return parse_compact_index(pack_, p, mh_.lcluster_bits, mh_.advise & kAdviseBigPcluster1, what_);
        }
        // Where the bytes after lcn's index (its pack's end) start: the inline tail cluster.
        uint64_t after(uint64_t lcn) const {
            if (ino_.layout == kLayoutCompressedFull) return base_ + kFullIndexGap + (lcn + 1) * kFullIndexSize;
            const CompactPosition p = position(lcn);
            return p.pack + p.pack_bytes;
        }

    private:
        CompactPosition position(uint64_t lcn) const {
            const uint64_t total = (ino_.size + r_.sb_.block_size - 1) / r_.sb_.block_size;
            return compact_position(base_, lcn, total, mh_.advise & kAdviseCompacted2B, mh_.lcluster_bits, what_);
        }
        const Reader& r_;
        const Inode& ino_;
        const MapHeader& mh_;
        uint64_t base_;
        std::string what_;
        std::vector<uint8_t> pack_;
        uint64_t pack_at_ = 0;
    };

    void compressed(const Inode& ino, uint64_t want, std::string& out) const {
        const std::string what = fs_.name() + ": inode " + std::to_string(ino.nid);
        const MapHeader mh = parse_map_header(bytes(round_up(ino.tail_pos(), 8), kMapHeaderSize), ino.layout, sb_, what);
        if (mh.lcluster_bits > kMaxLclusterBits) corrupt("inode " + std::to_string(ino.nid) + ": clusters of 2^" + std::to_string(mh.lcluster_bits) + " bytes");
        const unsigned lbits = mh.lcluster_bits;
        const uint64_t count = (ino.size + (1ULL << lbits) - 1) >> lbits;  // lclusters
        Indexes idx(*this, ino, mh);

        struct Extent {
            uint64_t lcn = 0, la = 0;
            Lcluster head;
            uint32_t cblkcnt = 0;
            bool next_nonhead = false;
        };
        std::optional<Extent> cur;
        auto emit = [&](const Extent& e, uint64_t end) {
            if (e.la >= want) return;
            const uint64_t n = std::min(end, want) - e.la;
            const bool tail = end == ino.size && mh.idata_size != 0;
            uint64_t pa, plen;
            if (tail) {
                pa = idx.after((ino.size - 1) >> lbits);
                plen = mh.idata_size;
                if (pa % sb_.block_size + plen > sb_.block_size) corrupt("inode " + std::to_string(ino.nid) + ": an inline tail cluster crosses a block");
            } else {
                const bool big = e.head.type == kHead1 ? mh.advise & kAdviseBigPcluster1 : mh.advise & kAdviseBigPcluster2;
                uint64_t blocks = 1;
                if (big && ((e.lcn + 1) << lbits) < ino.size && e.next_nonhead) {
                    if (e.cblkcnt == 0) corrupt("inode " + std::to_string(ino.nid) + ": no block count after the head at cluster " + std::to_string(e.lcn));
                    blocks = e.cblkcnt;
                }
                plen = blocks << sb_.blkszbits;
                if (plen > kMaxPclusterBytes) corrupt("inode " + std::to_string(ino.nid) + ": a cluster of " + std::to_string(plen) + " bytes");
                if (e.head.blkaddr > end_ >> sb_.blkszbits) corrupt("inode " + std::to_string(ino.nid) + ": a cluster outside the file system");
                pa = e.head.blkaddr << sb_.blkszbits;
            }
            const bool plain = e.head.type == kPlain;
            if (!plain) {
                const unsigned alg = mh.algorithm[e.head.type == kHead2 ? 1 : 0];
                if (alg != kAlgLz4) fail_input(what, algorithm_name(alg) + "-compressed files are not supported (lz4 only)");
                if (!(sb_.compr_algs & (1u << alg))) corrupt("inode " + std::to_string(ino.nid) + " uses lz4, which the superblock does not list");
            }
            const std::vector<uint8_t> raw = bytes(pa, plen);
            decode_pcluster(raw, plain, mh.advise & kAdviseInterlacedPcluster, e.la, sb_.block_size,
                            reinterpret_cast<uint8_t*>(out.data()) + e.la, n,
                            what + " (cluster at byte " + std::to_string(e.la) + ")");
        };
        for (uint64_t lcn = 0; lcn < count; ++lcn) {
            const Lcluster l = idx.at(lcn);
            if (lcn == 0 && (l.type == kNonHead || l.clusterofs != 0)) {
                corrupt("inode " + std::to_string(ino.nid) + ": its first cluster does not start its data");
            }
            if (l.type == kNonHead) {
                if (cur && lcn == cur->lcn + 1) {
                    cur->next_nonhead = true;
                    cur->cblkcnt = l.cblkcnt;
                }
                if (cur && (lcn << lbits) - cur->la > kMaxExtentBytes) {
                    corrupt("inode " + std::to_string(ino.nid) + ": an extent longer than 12 MiB");
                }
                continue;
            }
            const uint64_t la = (lcn << lbits) | l.clusterofs;
            if (la >= ino.size) break;
            if (cur) {
                emit(*cur, la);
                if (la >= want) return;
            }
            cur = Extent{lcn, la, l, 0, false};
        }
        emit(*cur, ino.size);
    }

    const Region& fs_;
    Superblock sb_;
    uint64_t end_;  // the file system's bytes
};

}  // namespace

Superblock read_superblock(const Region& fs) {
    if (fs.size() < kSuperblockOffset + kSuperblockSize) {
        fail_input(fs.name(), "not an erofs file system: only " + std::to_string(fs.size()) + " bytes");
    }
    std::vector<uint8_t> buf(kSuperblockSize);
    fs.read_at(buf.data(), buf.size(), kSuperblockOffset);
    const Superblock sb = parse_superblock(buf, fs.name());
    if (sb.blocks == 0 || sb.blocks > UINT64_MAX >> sb.blkszbits) {
        fail_input(fs.name(), "corrupt erofs file system: " + std::to_string(sb.blocks) + " blocks");
    }
    if (sb.bytes() > fs.size()) {
        fail_input(fs.name(), "truncated: the erofs file system has " + std::to_string(sb.bytes()) +
                                  " bytes, its partition " + std::to_string(fs.size()));
    }
    return sb;
}

std::optional<std::string> read_file(const Region& fs, std::string_view path, size_t max_bytes) {
    const Reader r(fs);
    const std::optional<Inode> ino = r.resolve(path);
    if (!ino || !ino->is_regular()) return std::nullopt;
    return r.data(*ino, std::min<uint64_t>(ino->size, max_bytes));
}

std::optional<std::vector<std::string>> list_dir(const Region& fs, std::string_view path) {
    const Reader r(fs);
    const std::optional<Inode> ino = r.resolve(path);
    if (!ino || !ino->is_dir()) return std::nullopt;
    std::vector<std::string> names;
    r.for_each_entry(*ino, [&](const Dirent& e) {
        if (e.name != "." && e.name != "..") names.push_back(e.name);
    });
    return names;
}

}  // namespace mtkfw::erofs
