#include "ops/ab_slot.h"

#include <algorithm>
#include <vector>

#include "base/failure.h"
#include "format/boot_ctrl.h"

namespace mtkfw {
namespace {

std::string slot_text(const boot_ctrl::Slot& s, char letter) {
    return std::string(1, letter) + ": priority " + std::to_string(s.priority) + ", tries " + std::to_string(s.tries) +
           (s.successful ? ", booted" : "") + (s.bootable ? "" : ", unbootable");
}

}  // namespace

SlotReading read_active_slot(const Input& in, const PartitionTable& table) {
    const PartitionRow* misc = table.find("misc");
    if (!misc) return {};
    if (!in.seekable() || misc->end() > in.size()) {
        return {"", "", "misc: not read (" + std::string(in.seekable() ? "past the end of the dump" : "a pipe") +
                            "): no active slot"};
    }
    if (misc->size <= boot_ctrl::kMiscOffset) return {"", "", "misc: too small for a boot control block: no active slot"};
    std::vector<uint8_t> block(static_cast<size_t>(std::min<uint64_t>(boot_ctrl::kBlockBytes, misc->size - boot_ctrl::kMiscOffset)));
    in.read_at(block.data(), block.size(), misc->start + boot_ctrl::kMiscOffset);
    try {
        const std::optional<boot_ctrl::Control> c = boot_ctrl::parse(block);
        if (!c) {
            return {"", "", "misc: no boot control block at 2048 (neither MediaTek's boot_ctrl magic 0x19191100 nor AOSP's \\0AB0): no active slot"};
        }
        const std::string source = boot_ctrl::layout_name(c->layout);
        const std::string slots = slot_text(c->slots[0], 'a') + "; " + slot_text(c->slots[1], 'b');
        if (!c->active) return {"", "", "misc: " + source + " has no bootable slot (" + slots + "): no active slot"};
        const std::string letter(1, boot_ctrl::slot_letter(*c->active));
        return {letter, source, "misc: active slot " + letter + " from " + source + " (" + slots + ")"};
    } catch (const Failure& f) {
        if (f.code() != Exit::invalid_input) throw;
        return {"", "", "misc: " + std::string(f.what()) + ": no active slot"};
    }
}

}  // namespace mtkfw
