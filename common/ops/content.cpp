#include "ops/content.h"

#include <algorithm>
#include <vector>

#include "base/failure.h"
#include "format/ext4.h"

namespace mtkfw {
namespace {

// ext2/3/4, f2fs and erofs all put their superblock at byte 1024.
constexpr size_t kSuperAt = ext4::kSuperblockOffset;

// ext4 when a feature ext3 lacks is on, ext3 with a journal, else ext2.
std::string ext_kind(Bytes sb) {
    using namespace ext4;
    const uint32_t compat = le32(sb, 0x5C), incompat = le32(sb, 0x60), ro_compat = le32(sb, 0x64);
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

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}

}  // namespace

Content detect_content(Bytes h) {
    if (h.size() > kSuperAt && is_ext_superblock(h.subspan(kSuperAt))) {
        const Bytes sb = h.subspan(kSuperAt);
        return {ext_kind(sb), ascii_field(sb, 0x78, 16)};
    }
    if (h.size() >= kSuperAt + 4 && le32(h, kSuperAt) == 0xF2F52010) return {"f2fs", ""};
    if (h.size() >= kSuperAt + 4 && le32(h, kSuperAt) == 0xE0F5E1E2) return {"erofs", ""};
    if (has_magic(h, 0, "hsqs")) return {"squashfs", ""};
    if (has_magic(h, 0, "ANDROID!")) return {"android-boot", ascii_field(h, 0x30, 16)};
    if (h.size() >= 4 && le32(h, 0) == 0xED26FF3A) return {"android-sparse", ""};
    if (h.size() >= 40 && le32(h, 0) == 0x58881688) return {"mtk-image", ascii_field(h, 8, 32)};
    if (has_magic(h, 0, "MMM\x01") && has_magic(h, 8, "FILE_INFO")) return {"gfh-preloader", ""};
    if (h.size() >= 512 && h[510] == 0x55 && h[511] == 0xAA &&
        (has_magic(h, 54, "FAT") || has_magic(h, 82, "FAT32"))) {
        const size_t label_at = has_magic(h, 82, "FAT32") ? 71 : 43;
        return {"fat", trim(ascii_field(h, label_at, 11))};
    }
    if (!h.empty() && std::all_of(h.begin(), h.end(), [](uint8_t c) { return c == 0; })) return {"zero", ""};
    return {"unknown", ""};
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

}  // namespace mtkfw
