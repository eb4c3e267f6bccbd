// The A/B boot control block in the `misc` partition: which slot (_a or _b) the phone boots.
// Two layouts live at the same place, misc + 2048 (the slot_suffix field of AOSP's struct
// bootloader_message, "struct boot_ctrl occupies the slot_suffix field", OFFSETOF_SLOT_SUFFIX
// 2048); a block holds one or the other, told apart by its magic.  Each field is named once, by
// its offset constant, beside its row: width, expected value, and what a reader does when the
// value differs.
//
// Sources:
//   MediaTek boot_ctrl (version 1): MediaTek bootctrl HAL `hardware/bootctrl/1.0/bootctrl.h`
//   (AylaAsia-ZhiqinChen/MT8365_Q0_Ayla @ 21b34e7) and MediaTek LK
//   `platform/common/bootctrl/1.0/bootctrl_api.c` (svoboda18/lk @ 8c413ac: get_suffix,
//   get_bootable_status, set_active_slot); doc MODERN.md 1.5.
//   AOSP AvbABData: AOSP external/avb `libavb_ab/avb_ab_flow.h` and `avb_ab_flow.c`
//   (jbeich/platform_external_avb @ 279764a / 186763c: the struct, "stored 2048 bytes into the
//   'misc' partition", AB_METADATA_MISC_PARTITION_OFFSET 2048, slot_is_bootable, the choice in
//   avb_ab_flow); MediaTek's own AVB 2.0 bootctrl reads the same struct at the same offset
//   (`hardware/bootctrl/2.0/bootctrl.h` and `bootctrl.cpp` in MT8365_Q0_Ayla, LK
//   `platform/common/bootctrl/2.0/bootctrl_api.c` in svoboda18/lk).
//
// MediaTek boot_ctrl, 8 bytes, little-endian:
//   +0  u32 magic 0x19191100                  - not this layout (try AvbABData)
//   +4  u8  version, 1 (BOOT_CONTROL_VERSION) - shown only: LK reads the slots whatever it says
//   +5  u8  slot_info[0] (slot a)   } bit fields, allocated from the least significant bit as
//   +6  u8  slot_info[1] (slot b)   } GCC does on little-endian ARM (AAPCS): bits 0-2 priority,
//                                     3-5 retry_count, 6 successful_boot, 7 normal_boot
//   +7  u8  recovery_retry_count              - ignored
//   Bootable: priority > 0 (LK get_bootable_status).  Active: the higher priority; equal
//   priorities give a (LK get_suffix compares slot_info[0].priority >= slot_info[1].priority).
//   Neither bootable: no active slot (LK would still try a; a readback of such a phone has no
//   slot worth naming).
//
// AOSP AvbABData, 32 bytes, big-endian ("network byte-order"):
//   +0   4  magic "\0AB0"                     - not this layout
//   +4   u8 version_major, 1                  - > 1: damaged (libavb refuses the fields)
//   +5   u8 version_minor, 0                  - any
//   +6   2  reserved
//   +8   4  slots[0] (a): u8 priority (0..15, 0 = unbootable), u8 tries_remaining (0..7),
//           u8 successful_boot, u8 reserved
//   +12  4  slots[1] (b), the same
//   +16  12 reserved
//   +28  u32 crc32 (IEEE, zlib's) of bytes 0..27  - mismatch: damaged (libavb resets the data)
//   Bootable: priority > 0 and (successful_boot or tries_remaining > 0) (avb_ab_flow.c
//   slot_is_bootable).  Active: both bootable - b only when its priority is strictly higher,
//   else a; one bootable - that one; none - no active slot (AVB_AB_FLOW_RESULT_ERROR_NO_BOOTABLE_SLOTS).
//   (MediaTek's LK 2.0 get_suffix compares priorities only and checks no CRC: on a bootable,
//   undamaged block both rules agree.)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"

namespace mtkfw::boot_ctrl {

constexpr uint64_t kMiscOffset = 2048;  // OFFSETOF_SLOT_SUFFIX / AB_METADATA_MISC_PARTITION_OFFSET
constexpr size_t kBlockBytes = 32;      // the larger of the two layouts: what a reader reads

// MediaTek boot_ctrl
constexpr uint32_t kMtkMagic = 0x19191100;
constexpr size_t kMtkMagicAt = 0;
constexpr size_t kMtkVersionAt = 4;
constexpr size_t kMtkSlotInfoAt = 5;  // two bytes, a then b
constexpr uint8_t kMtkPriorityMask = 0x07, kMtkRetryShift = 3, kMtkRetryMask = 0x07;
constexpr uint8_t kMtkSuccessfulBit = 1u << 6, kMtkNormalBootBit = 1u << 7;

// AOSP AvbABData
constexpr std::string_view kAvbMagic{"\0AB0", 4};
constexpr size_t kAvbVersionMajorAt = 4, kAvbVersionMinorAt = 5;
constexpr size_t kAvbSlotsAt = 8, kAvbSlotSize = 4;
constexpr size_t kAvbPriorityAt = 0, kAvbTriesAt = 1, kAvbSuccessfulAt = 2;  // within a slot
constexpr size_t kAvbCrcAt = 28;
constexpr uint8_t kAvbMajorVersion = 1;

enum class Layout { mtk_boot_ctrl, avb_ab };
const char* layout_name(Layout layout);  // "boot_ctrl", "avb_ab": the table's slot_source

struct Slot {
    uint8_t priority = 0;
    uint8_t tries = 0;        // retry_count / tries_remaining
    bool successful = false;  // successful_boot
    bool bootable = false;    // by the layout's own rule above
};

struct Control {
    Layout layout = Layout::mtk_boot_ctrl;
    uint8_t version = 0;  // version / version_major
    std::array<Slot, 2> slots;
    std::optional<int> active;  // 0 = a, 1 = b; none when neither slot is bootable
};

// Parses the kBlockBytes at misc + kMiscOffset (fewer when the partition is shorter).
// nullopt when the bytes carry neither magic (no A/B control: a non-A/B phone, an erased misc);
// throws Failure(invalid_input) saying why when a magic is there but the block is damaged (short,
// CRC, version).  Pure.
std::optional<Control> parse(Bytes block);

char slot_letter(int slot);  // 'a' or 'b'

}  // namespace mtkfw::boot_ctrl
