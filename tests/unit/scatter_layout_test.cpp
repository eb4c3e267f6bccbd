// layout_scatter (ops/scatter_layout.h) on tables built here: where the rows it adds lie.
#include <cstdint>
#include <string>

#include "check.h"
#include "format/table.h"
#include "ops/scatter_layout.h"

using mtkfw::Exit;

namespace {
// One partition at 1 MiB of 1 MiB; the user area is 16 MiB.
mtkfw::PartitionTable one_partition(uint64_t last_lba) {
    mtkfw::PartitionTable t;
    t.first_lba = 34;
    t.last_lba = last_lba;
    mtkfw::PartitionRow r;
    r.index = 1;
    r.name = "system";
    r.start = 1 << 20;
    r.size = 1 << 20;
    r.content = "ext4";
    t.rows.push_back(r);
    return t;
}
mtkfw::LayoutOptions options() {
    mtkfw::LayoutOptions o;
    o.platform = "MT6752";
    o.project = "unit";
    o.device_size = 16 << 20;
    o.preloader_file = "preloader_unit.bin";
    o.absolute_tail = true;
    return o;
}
}  // namespace

TEST(layout_scatter_puts_sgpt_after_the_last_usable_lba) {
    mtkfw::Notices notices;
    const mtkfw::Scatter s = mtkfw::layout_scatter(one_partition(8191), mtkfw::ScatterPolicy::builtin(), options(), notices);
    const mtkfw::ScatterPartition* sgpt = s.find("sgpt");
    CHECK(sgpt != nullptr);
    if (sgpt) CHECK_EQ(sgpt->linear_start, uint64_t{8192 * 512});
}

// A table read from text can say any last_lba: (2^55 + 8191 + 1) * 512 wrapped around 2^64 to
// 4 MiB, and the sgpt row went there silently, for a table whose disk ends past 2^64 bytes.
TEST(layout_scatter_refuses_a_last_lba_past_any_disk) {
    mtkfw::Notices notices;
    const uint64_t lying = (uint64_t{1} << 55) + 8191;
    CHECK_THROWS(mtkfw::layout_scatter(one_partition(lying), mtkfw::ScatterPolicy::builtin(), options(), notices),
                 Exit::invalid_input, "lies past any disk");
}
