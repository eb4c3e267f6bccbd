#include "ops/content.h"

#include <algorithm>
#include <vector>

#include "base/failure.h"
#include "base/text.h"
#include "format/ext4.h"
#include "format/gfh.h"
#include "format/gpt.h"
#include "ops/lp_listing.h"
#include "ops/lp_super.h"

namespace mtkfw {
namespace {

// ext2/3/4, f2fs and erofs all put their superblock at byte 1024.
constexpr size_t kSuperAt = ext4::kSuperblockOffset;

// ext4 when a feature ext3 lacks is on, ext3 with a journal, else ext2.
std::string ext_kind(Bytes sb) {
    using namespace ext4;
    const uint32_t compat = le32(sb, kSFeatureCompatAt), incompat = le32(sb, kSFeatureIncompatAt),
                   ro_compat = le32(sb, kSFeatureRoCompatAt);
    if ((incompat & (kIncompatExtents | kIncompat64bit | kIncompatFlexBg)) ||
        (ro_compat & (kRoCompatHugeFile | kRoCompatGdtCsum | kRoCompatMetadataCsum))) {
        return "ext4";
    }
    return (compat & kCompatHasJournal) ? "ext3" : "ext2";
}

// The whole superblock checked as ext4-sparse would: a stray 0xEF53 is not a file system.
bool is_ext_superblock(Bytes sb) {
    try {
        ext4::check_superblock(sb);
        return true;
    } catch (const Failure&) {
        return false;  // not ext: the other kinds are tried
    }
}

// A partition whose geometry magic is there: its summary, or why it cannot be read (gpt-list
// --lp and part-cut say the whole error).
Content lp_content(const Input& in, const PartitionRow& r) {
    try {
        Notices ignored;  // said by the tools that read the super for its partitions
        return {"lp", lp::lp_label(lp::read_super(in, r.start, r.size, ignored))};
    } catch (const Failure& f) {
        if (f.code() != Exit::invalid_input) throw;
        return {"lp", "damaged LP metadata"};
    }
}

}  // namespace

Content detect_content(Bytes h) {
    if (h.size() > kSuperAt && is_ext_superblock(h.subspan(kSuperAt))) {
        const Bytes sb = h.subspan(kSuperAt);
        return {ext_kind(sb), ascii_field(sb, ext4::kSVolumeNameAt, ext4::kSVolumeNameSize)};
    }
    return content_by_magic(h);
}

void detect_contents(const Input& in, PartitionTable* table) {
    std::vector<uint8_t> head(kContentProbeBytes);
    for (PartitionRow& r : table->rows) {
        if (!in.seekable() || r.start >= in.size()) {
            r.content = in.seekable() ? "missing" : "unchecked";  // missing: a truncated readback
            continue;
        }
        const size_t want = static_cast<size_t>(std::min<uint64_t>(kContentProbeBytes, r.size));
        const size_t got = in.read_some_at(head.data(), want, r.start);
        Content c = detect_content(Bytes(head.data(), got));
        // LP metadata starts after a reserved zero 4 KiB, past the probe: asked for separately.
        if ((c.kind == "zero" || c.kind == "unknown") && lp::looks_like_super(in, r.start, r.size)) c = lp_content(in, r);
        r.content = c.kind;
        r.label = c.label;
    }
}

std::string describe_non_boot(Bytes head) {
    if (head.empty()) return "nothing (0 bytes)";
    // The EMI settings block of a preloader's trailer (format/gfh.h), cut out on its own.
    if (has_magic(head, gfh::kBloaderTagAt, gfh::kBloaderTag)) {
        return "an EMI settings block (" + ascii_field(head, gfh::kBloaderTagAt, gfh::kBloaderNameAt) +
               ") cut out of a preloader, not the preloader itself";
    }
    for (size_t sector : {512, 4096}) {
        if (has_magic(head, sector + gpt::kSignatureAt, gpt::kSignature)) {
            return "a disk with a GPT (" + std::to_string(sector) + "-byte sectors): a USER readback?";
        }
    }
    if (all_equal(head, 0xFF)) return "erased flash (all 0xFF): an empty boot partition?";
    const Content c = detect_content(head.first(std::min(head.size(), kContentProbeBytes)));
    if (c.kind == "zero") return "all zeros: an empty boot partition (BOOT2?)";
    if (c.kind == "unknown") return "unknown data";
    return c.kind + " data" + (c.label.empty() ? "" : " (" + escape_controls(c.label) + ")");
}

}  // namespace mtkfw
