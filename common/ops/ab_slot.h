// The active A/B slot of a USER dump: the boot control block at misc + 2048 (format/boot_ctrl.h)
// read straight out of the dump.  A convenience fact like the platform: a missing, erased or
// damaged block gives no slot and a reason, never a Failure.
#pragma once

#include <optional>
#include <string>

#include "format/table.h"
#include "io/input.h"

namespace mtkfw {

struct SlotReading {
    std::string slot;    // "a" or "b"; empty when none was read
    std::string source;  // "boot_ctrl" or "avb_ab" (boot_ctrl::layout_name); empty with no slot
    // For people (-v): how the slot was chosen, or why there is none; empty when the table has no
    // misc partition (a phone without A/B has nothing to say).
    std::string note;
};

// Reads the partition named "misc" of a seekable dump; a pipe or a misc past the dump's end gives
// no slot.
SlotReading read_active_slot(const Input& in, const PartitionTable& table);

}  // namespace mtkfw
