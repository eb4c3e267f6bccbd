// Fuzzes the f2fs reader (format/f2fs.h: superblocks, checkpoint packs, SIT entries, the SIT
// journal; ops/f2fs_map.h: the valid-block map) and ext4-sparse's encoder on top of it.
// Checked: the map read from a file (read_map) and the one a pipe builds (MapBuilder::observe
// over every block before main_blkaddr, in order) accept the same inputs and give the same runs;
// runs are ascending, contiguous, alternating, the metadata areas used; with flag bit 0 the
// encoder's image passes the verifier (sparse_verify.h) against the map.
//
// The smallest f2fs mkfs.f2fs makes is 52 MiB, its metadata 16 MiB: too large to mutate.  The
// input is that image's non-zero blocks: byte 0 holds options, then records of a u32 LE block
// number and 4096 bytes (the last one may be short), laid out over zeros (a memfd with holes).
// The image is as long as its superblock's block_count says (the backup's when the primary has
// no magic; the records' end without either), 64 MiB at most.
//   bit 0  encode (seekable file) and verify the image
#include <algorithm>
#include <optional>
#include <vector>

#include "format/f2fs.h"
#include "fuzz_support.h"
#include "io/output.h"
#include "ops/f2fs_map.h"
#include "ops/sparse_encode.h"
#include "ops/sparse_verify.h"

namespace {

constexpr uint64_t kMaxBytes = 64ull << 20;
constexpr size_t kBs = mtkfw::f2fs::kBlockSize;
constexpr size_t kRecord = 4 + kBs;

struct Run {
    uint64_t first, count;
    bool used;
    bool operator==(const Run&) const = default;
};

std::vector<Run> runs_of(const mtkfw::f2fs::Map& map, uint64_t blocks) {
    std::vector<Run> r;
    map.runs(0, blocks, [&](uint64_t first, uint64_t count, bool used) {
        r.push_back({first, count, used});
        return true;
    });
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    // The records, laid out.
    std::vector<std::pair<uint64_t, mtkfw::Bytes>> blocks;
    uint64_t extent = 0;
    for (size_t at = 1; at + 4 < size; at += kRecord) {
        const uint64_t block = mtkfw::le32(mtkfw::Bytes(data, size), at);
        if ((block + 1) * kBs > kMaxBytes) continue;
        blocks.emplace_back(block, mtkfw::Bytes(data + at + 4, std::min(kBs, size - at - 4)));
        extent = std::max<uint64_t>(extent, block * kBs + blocks.back().second.size());
    }
    std::vector<uint8_t> head(2 * kBs, 0);
    for (const auto& [block, bytes] : blocks) {
        if (block < 2) std::copy(bytes.begin(), bytes.end(), head.begin() + block * kBs);
    }
    uint64_t bytes = extent;
    for (const uint64_t at : {mtkfw::f2fs::kSuperblockOffset, kBs + mtkfw::f2fs::kSuperblockOffset}) {
        if (mtkfw::le32(head, at) == mtkfw::f2fs::kMagic) {
            bytes = std::min(kMaxBytes, mtkfw::le64(head, at + mtkfw::f2fs::kSBlockCountAt) * kBs);
            break;
        }
    }
    bytes = std::max<uint64_t>(bytes, extent);
    fuzz::MemFile file(nullptr, 0, bytes);
    mtkfw::Output out = mtkfw::Output::open(fuzz::scratch_output("fuzz_f2fs"));
    {
        const int fd = ::open(file.path().c_str(), O_WRONLY | O_CLOEXEC);
        FUZZ_CHECK(fd >= 0);
        for (const auto& [block, b] : blocks) {
            FUZZ_CHECK(pwrite(fd, b.data(), b.size(), static_cast<off_t>(block * kBs)) == static_cast<ssize_t>(b.size()));
        }
        ::close(fd);
    }
    const mtkfw::Input in = mtkfw::Input::open(file.path());
    if (!mtkfw::f2fs::looks_like_f2fs(in, 0, in.size())) return 0;

    mtkfw::Notices notices;
    std::optional<mtkfw::f2fs::Map> map;
    fuzz::accepts([&] { map.emplace(mtkfw::f2fs::read_map(in, 0, in.size(), notices)); });
    // The pipe's way: every block before main_blkaddr observed, in order, 1 MiB at a time.
    std::optional<mtkfw::f2fs::Map> streamed;
    fuzz::accepts([&] {
        std::vector<uint8_t> first(static_cast<size_t>(std::min<uint64_t>(in.size(), 2 * kBs)));
        in.read_at(first.data(), first.size(), 0);
        mtkfw::f2fs::MapBuilder b(first, in.name(), notices);
        mtkfw::f2fs::check_fits(b.super(), in.size(), in.name());
        // Holes (most of the metadata areas) as a zero buffer, not read: the harness's speed.
        static const std::vector<uint8_t> zeros(1 << 20, 0);
        std::vector<uint8_t> piece(1 << 20);
        const uint64_t end = static_cast<uint64_t>(b.super().main_blkaddr) * kBs;
        for (uint64_t at = 0; at < end;) {
            const off_t data = lseek(in.fd(), static_cast<off_t>(at), SEEK_DATA);
            const uint64_t data_at = data < 0 ? end : std::min<uint64_t>(end, static_cast<uint64_t>(data) / kBs * kBs);
            if (data_at > at) {
                const size_t n = static_cast<size_t>(std::min<uint64_t>(zeros.size(), data_at - at));
                b.observe(at / kBs, mtkfw::Bytes(zeros.data(), n));
                at += n;
                continue;
            }
            const size_t n = static_cast<size_t>(std::min<uint64_t>(kBs, end - at));
            in.read_at(piece.data(), n, at);
            b.observe(at / kBs, mtkfw::Bytes(piece.data(), n));
            at += n;
        }
        streamed.emplace(b.finish());
    });
    FUZZ_CHECK(map.has_value() == streamed.has_value());
    if (!map) return 0;

    const uint64_t total = in.size() / kBs;
    const std::vector<Run> runs = runs_of(*map, total);
    FUZZ_CHECK(runs == runs_of(*streamed, total));
    FUZZ_CHECK(map->valid_blocks() == streamed->valid_blocks());
    FUZZ_CHECK(map->valid_blocks() <= static_cast<uint64_t>(map->super().segment_count_main) * mtkfw::f2fs::kBlocksPerSeg);
    uint64_t next = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
        FUZZ_CHECK(runs[i].first == next && runs[i].count > 0);
        FUZZ_CHECK(i == 0 || runs[i].used != runs[i - 1].used);
        next += runs[i].count;
    }
    FUZZ_CHECK(next == total);
    FUZZ_CHECK(!runs.empty() && runs[0].used && runs[0].count >= map->super().main_blkaddr);
    const mtkfw::sparse::UsedRange used = map->used_range();
    FUZZ_CHECK(!used(0, 0) && used(0, 1));

    if (!(flags & 1)) return 0;
    mtkfw::EncodeOptions options;
    options.scratch_folder = "/dev/shm";
    mtkfw::EncodeReport report;
    mtkfw::Input again = mtkfw::Input::open(file.path());
    // Accepted unless something before f2fs claims the range (a sparse magic at byte 0, LP
    // geometry at 4096); then the same map.
    if (!fuzz::accepts([&] { report = mtkfw::encode_sparse(again, out, options, notices); }) || !report.f2fs) return 0;
    FUZZ_CHECK(report.partition_bytes == total * kBs);
    FUZZ_CHECK(report.f2fs_valid_blocks == map->valid_blocks());
    mtkfw::Input image = mtkfw::Input::open(fuzz::fd_path(out.fd()));
    mtkfw::Notices verify_notices;
    FUZZ_CHECK(fuzz::accepts([&] { mtkfw::sparse::verify(image, in, 0, report.partition_bytes, used, verify_notices); }));
    FUZZ_CHECK(verify_notices.empty());
    return 0;
}
