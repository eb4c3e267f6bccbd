// The sparse super's block map (ops/super_map.h, SpanMap): extents laid out by hand, the
// content of a non-whole owner a predicate on its logical bytes; the runs said as a string
// "U0-1 F2-5" (Used/Free, first-last block) so that one CHECK_EQ shows the whole map.  A new run
// starts where the owners change, even with the same status (the split rows count by owner).
#include <cstdint>
#include <string>
#include <vector>

#include "check.h"
#include "ops/super_map.h"

using mtkfw::lp::SpanMap;
using mtkfw::lp::View;

namespace {

constexpr uint64_t B = 4096;

std::string runs(const SpanMap& map, uint64_t from, uint64_t to, std::vector<std::vector<uint32_t>>* owners = nullptr) {
    std::string out;
    map.runs(from, to, [&](uint64_t first, uint64_t count, bool used, const std::vector<uint32_t>& o) {
        if (!out.empty()) out += ' ';
        out += (used ? "U" : "F") + std::to_string(first) + "-" + std::to_string(first + count - 1);
        if (owners) owners->push_back(o);
        return true;
    });
    return out;
}

// Owner 1 is an "ext4" whose used 4096-byte logical blocks are the even ones.
bool even_blocks(uint32_t owner, uint64_t logical, uint64_t length) {
    CHECK_EQ(owner, 1u);
    CHECK_EQ(length, B);
    return (logical / B) % 2 == 0;
}

bool never(uint32_t, uint64_t, uint64_t) { return false; }

}  // namespace

TEST(super_map_no_extent_is_all_free) {
    const SpanMap map({}, {true}, never);
    CHECK_EQ(runs(map, 0, 10), std::string("F0-9"));
}

TEST(super_map_whole_owner_and_gaps) {
    // Metadata [0, 2 blocks), a whole partition at blocks 4..5, free around.
    const SpanMap map({{0, 2 * B, 0, 0}, {4 * B, 6 * B, 0, 1}}, {true, true}, never);
    std::vector<std::vector<uint32_t>> owners;
    CHECK_EQ(runs(map, 0, 8, &owners), std::string("U0-1 F2-3 U4-5 F6-7"));
    CHECK_EQ(owners.size(), 4u);
    CHECK(owners[1].empty());
    CHECK_EQ(owners[2], std::vector<uint32_t>{1});
}

TEST(super_map_ext4_owner_by_its_logical_blocks) {
    // The partition's logical block 0 lands at physical block 3: physical 3, 5 used.
    const SpanMap map({{3 * B, 7 * B, 0, 1}}, {true, false}, even_blocks);
    CHECK_EQ(runs(map, 0, 8), std::string("F0-2 U3-3 F4-4 U5-5 F6-6 F7-7"));
    // A second extent of the same partition: logical from 4 blocks on, at physical 10.
    const SpanMap two({{3 * B, 5 * B, 0, 1}, {10 * B, 12 * B, 4 * B, 1}}, {true, false}, even_blocks);
    CHECK_EQ(runs(two, 0, 12), std::string("F0-2 U3-3 F4-4 F5-9 U10-10 F11-11"));
}

TEST(super_map_unaligned_boundary_makes_its_block_used) {
    // An extent from byte 4096+512 to 3*4096-512: blocks 1 and 2 are each covered in part.
    const SpanMap map({{B + 512, 3 * B - 512, 0, 1}}, {true, false}, never);
    CHECK_EQ(runs(map, 0, 4), std::string("F0-0 U1-2 F3-3"));
    // Aligned on both sides, nothing used: all free.
    const SpanMap aligned({{B, 3 * B, 0, 1}}, {true, false}, never);
    CHECK_EQ(runs(aligned, 0, 4), std::string("F0-0 F1-2 F3-3"));
}

TEST(super_map_overlap_used_wins) {
    // Owner 1 (even blocks) and owner 2 (whole) overlap at blocks 2..3.
    const SpanMap map({{0, 4 * B, 0, 1}, {2 * B, 6 * B, 0, 2}}, {true, false, true}, even_blocks);
    std::vector<std::vector<uint32_t>> owners;
    CHECK_EQ(runs(map, 0, 7, &owners), std::string("U0-0 F1-1 U2-3 U4-5 F6-6"));
    CHECK_EQ(owners[2], (std::vector<uint32_t>{1, 2}));
    CHECK_EQ(owners[3], std::vector<uint32_t>{2});
    // Two views of one ext4 owner on the same blocks, shifted by one block: every block used.
    const SpanMap shifted({{0, 4 * B, 0, 1}, {0, 4 * B, B, 1}}, {true, false}, even_blocks);
    CHECK_EQ(runs(shifted, 0, 4), std::string("U0-3"));
}

TEST(super_map_runs_of_a_range_and_stop) {
    const SpanMap map({{4 * B, 6 * B, 0, 1}}, {true, true}, never);
    CHECK_EQ(runs(map, 5, 9), std::string("U5-5 F6-8"));
    CHECK_EQ(runs(map, 0, 3), std::string("F0-2"));
    int calls = 0;
    map.runs(0, 9, [&](uint64_t, uint64_t, bool, const std::vector<uint32_t>&) { return ++calls < 2; });
    CHECK_EQ(calls, 2);
}
