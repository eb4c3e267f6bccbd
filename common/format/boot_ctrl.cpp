#include "format/boot_ctrl.h"

#include <zlib.h>

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw::boot_ctrl {
namespace {

constexpr size_t kMtkBlockBytes = 8;

uint32_t be32(Bytes b, size_t at) {
    return static_cast<uint32_t>(b[at]) << 24 | static_cast<uint32_t>(b[at + 1]) << 16 |
           static_cast<uint32_t>(b[at + 2]) << 8 | b[at + 3];
}

[[noreturn]] void damaged(const char* what, const std::string& why) {
    fail_input("", std::string(what) + " at misc+2048 is damaged: " + why);
}

// The bootable slot of higher priority; equal priorities give a, as both sources do.
std::optional<int> choose(const std::array<Slot, 2>& s) {
    if (s[0].bootable && s[1].bootable) return s[1].priority > s[0].priority ? 1 : 0;
    if (s[0].bootable) return 0;
    if (s[1].bootable) return 1;
    return std::nullopt;
}

Control parse_mtk(Bytes b) {
    if (b.size() < kMtkBlockBytes) damaged("MediaTek boot_ctrl", "only " + std::to_string(b.size()) + " bytes");
    Control c;
    c.layout = Layout::mtk_boot_ctrl;
    c.version = b[kMtkVersionAt];
    for (int i = 0; i < 2; ++i) {
        const uint8_t v = b[kMtkSlotInfoAt + static_cast<size_t>(i)];
        Slot& s = c.slots[static_cast<size_t>(i)];
        s.priority = v & kMtkPriorityMask;
        s.tries = (v >> kMtkRetryShift) & kMtkRetryMask;
        s.successful = (v & kMtkSuccessfulBit) != 0;
        s.bootable = s.priority > 0;
    }
    c.active = choose(c.slots);
    return c;
}

Control parse_avb(Bytes b) {
    if (b.size() < kBlockBytes) damaged("AOSP AvbABData", "only " + std::to_string(b.size()) + " bytes");
    const uint32_t stored = be32(b, kAvbCrcAt);
    const uint32_t computed = static_cast<uint32_t>(crc32(0L, b.data(), static_cast<uInt>(kAvbCrcAt)));
    if (stored != computed) damaged("AOSP AvbABData", "CRC32 " + hex(stored) + ", computed " + hex(computed));
    Control c;
    c.layout = Layout::avb_ab;
    c.version = b[kAvbVersionMajorAt];
    if (c.version > kAvbMajorVersion) damaged("AOSP AvbABData", "major version " + std::to_string(c.version));
    for (size_t i = 0; i < 2; ++i) {
        const Bytes raw = b.subspan(kAvbSlotsAt + i * kAvbSlotSize, kAvbSlotSize);
        Slot& s = c.slots[i];
        s.priority = raw[kAvbPriorityAt];
        s.tries = raw[kAvbTriesAt];
        s.successful = raw[kAvbSuccessfulAt] != 0;
        s.bootable = s.priority > 0 && (s.successful || s.tries > 0);
    }
    c.active = choose(c.slots);
    return c;
}

}  // namespace

const char* layout_name(Layout layout) { return layout == Layout::avb_ab ? "avb_ab" : "boot_ctrl"; }

char slot_letter(int slot) { return slot == 0 ? 'a' : 'b'; }

std::optional<Control> parse(Bytes block) {
    if (block.size() >= 4 && le32(block, kMtkMagicAt) == kMtkMagic) return parse_mtk(block);
    if (has_magic(block, 0, kAvbMagic)) return parse_avb(block);
    return std::nullopt;
}

}  // namespace mtkfw::boot_ctrl
