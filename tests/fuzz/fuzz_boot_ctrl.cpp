// Fuzzes the A/B boot control reader (common/format/boot_ctrl.h, ops/ab_slot.h) as gpt-list uses it:
// the 32 bytes at misc + 2048 in either layout (MediaTek boot_ctrl, AOSP AvbABData).
// Checked: a parse either names no slot or a bootable one, never the lower-priority one of two
// bootable slots; the ops reader, given a dump whose misc holds the input, never fails and agrees
// with the parser.
//
// Input: the bytes of misc from offset 2048 on (any length: a short misc is a damaged block).
#include <vector>

#include "format/boot_ctrl.h"
#include "format/table.h"
#include "fuzz_support.h"
#include "ops/ab_slot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace bc = mtkfw::boot_ctrl;
    const mtkfw::Bytes block(data, std::min(size, bc::kBlockBytes));
    std::optional<bc::Control> parsed;
    const bool ok = fuzz::accepts([&] { parsed = bc::parse(block); });
    if (ok && parsed && parsed->active) {
        const size_t a = static_cast<size_t>(*parsed->active);
        FUZZ_CHECK(a < 2 && parsed->slots[a].bootable);
        const bc::Slot& other = parsed->slots[1 - a];
        FUZZ_CHECK(!other.bootable || other.priority <= parsed->slots[a].priority);
        if (other.bootable && other.priority == parsed->slots[a].priority) FUZZ_CHECK(a == 0);  // ties: a
    }

    // misc as a partition of a dump: 2048 bytes of zeros, then the input.
    std::vector<uint8_t> dump(bc::kMiscOffset, 0);
    dump.insert(dump.end(), data, data + size);
    fuzz::MemFile file(dump.data(), dump.size());
    const mtkfw::Input in = mtkfw::Input::open(file.path());
    mtkfw::PartitionTable table;
    table.rows.push_back({1, "misc", 0, dump.size(), "unknown", "", "", "", 0});
    const mtkfw::SlotReading r = mtkfw::read_active_slot(in, table);
    const bool named = ok && parsed && parsed->active;
    FUZZ_CHECK(r.slot.empty() == !named);
    if (named) FUZZ_CHECK(r.slot == std::string(1, bc::slot_letter(*parsed->active)));
    if (size == 0) FUZZ_CHECK(!r.note.empty());
    return 0;
}
