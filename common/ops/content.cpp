#include "ops/content.h"

#include <algorithm>
#include <vector>

#include "base/text.h"
#include "format/gfh.h"
#include "format/gpt.h"
#include "ops/ext4.h"

namespace mtkfw {
namespace {

// ext2/3/4, f2fs and erofs all put their superblock at byte 1024.
constexpr size_t kSuperAt = ext4::kSuperblockOffset;
constexpr size_t kCompatAt = 0x5C, kIncompatAt = 0x60, kRoCompatAt = 0x64, kVolumeNameAt = 0x78;
constexpr size_t kVolumeNameWidth = 16;

// ext4 when a feature ext3 lacks is on, ext3 with a journal, else ext2.
std::string ext_kind(Bytes sb) {
    using namespace ext4;
    const uint32_t compat = le32(sb, kCompatAt), incompat = le32(sb, kIncompatAt), ro_compat = le32(sb, kRoCompatAt);
    if ((incompat & (kIncompatExtents | kIncompat64bit | kIncompatFlexBg)) ||
        (ro_compat & (kRoCompatHugeFile | kRoCompatGdtCsum | kRoCompatMetadataCsum))) {
        return "ext4";
    }
    return (compat & kCompatHasJournal) ? "ext3" : "ext2";
}

}  // namespace

Content detect_content(Bytes h) {
    // The whole superblock, checked as ext4-sparse would: a stray 0xEF53 is not a file system.
    if (h.size() > kSuperAt && ext4::superblock_problem(h.subspan(kSuperAt)).empty()) {
        const Bytes sb = h.subspan(kSuperAt);
        return {ext_kind(sb), ascii_field(sb, kVolumeNameAt, kVolumeNameWidth)};
    }
    return content_by_magic(h);
}

void detect_contents(const Input& in, PartitionTable* table) {
    std::vector<uint8_t> head(kContentProbeBytes);
    for (PartitionRow& r : table->rows) {
        if (!in.seekable() || r.start >= in.size()) {
            r.content = "unchecked";
            continue;
        }
        const size_t want = static_cast<size_t>(std::min<uint64_t>(kContentProbeBytes, r.size));
        const size_t got = in.read_some_at(head.data(), want, r.start);
        const Content c = detect_content(Bytes(head.data(), got));
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
