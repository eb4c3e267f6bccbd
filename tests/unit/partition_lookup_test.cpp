// closest_word and the lookups that use it: the suggestion an unknown name gets.
#include <string>
#include <utility>
#include <vector>

#include "check.h"
#include "ops/partition_lookup.h"

using mtkfw::closest_word;
using mtkfw::Exit;

namespace {
mtkfw::PartitionTable two_rows() {
    mtkfw::PartitionTable t;
    for (auto [index, name] : {std::pair{1u, "boot"}, std::pair{7u, "system"}}) {
        mtkfw::PartitionRow r;
        r.index = index;
        r.name = name;
        t.rows.push_back(r);
    }
    return t;
}
}  // namespace

TEST(closest_is_fewest_edits) {
    CHECK_EQ(closest_word("sytem", {"boot", "system", "cache"}), std::string("system"));
    CHECK_EQ(closest_word("bot", {"boot", "system"}), std::string("boot"));
}

TEST(closest_ignores_case) {
    CHECK_EQ(closest_word("SYTEM", {"boot", "system"}), std::string("system"));
}

TEST(closest_tie_goes_to_a_candidate_containing_the_word) {
    // "xb" and "abc" are both one edit from "ab"; "abc" contains it
    CHECK_EQ(closest_word("ab", {"xb", "abc"}), std::string("abc"));
    CHECK_EQ(closest_word("user", {"usr", "userdata"}), std::string("usr"));  // fewer edits still win
}

TEST(closest_tie_otherwise_goes_to_the_first) {
    CHECK_EQ(closest_word("ab", {"xb", "ay"}), std::string("xb"));
}

TEST(closest_of_no_candidates_is_empty) {
    CHECK_EQ(closest_word("boot", {}), std::string());
}

TEST(named_finds_the_exact_name) {
    const auto t = two_rows();
    CHECK_EQ(mtkfw::partition_named(t, "system", "User").index, 7u);
}

TEST(named_unknown_suggests_and_lists) {
    CHECK_THROWS(mtkfw::partition_named(two_rows(), "sytem", "User"), Exit::usage,
                 "User: no partition named \"sytem\"; did you mean \"system\"? The partitions are: boot, system");
}

TEST(named_in_an_empty_table) {
    CHECK_THROWS(mtkfw::partition_named(mtkfw::PartitionTable{}, "boot", "User"), Exit::usage,
                 "no partition named \"boot\": its GPT has no partitions");
}

TEST(numbered_unknown_lists_the_indexes) {
    CHECK_EQ(mtkfw::partition_numbered(two_rows(), 7, "User").name, std::string("system"));
    CHECK_THROWS(mtkfw::partition_numbered(two_rows(), 9, "User"), Exit::usage,
                 "no partition with index 9; the indexes in use are 1, 7");
}
