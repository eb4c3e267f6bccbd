#include "ops/partition_lookup.h"

#include <algorithm>
#include <vector>

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw {
namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string quoted(std::string_view s) { return "\"" + escape_controls(s) + "\""; }

}  // namespace

std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string wanted = to_lower(word);
    std::string best;
    size_t best_score = SIZE_MAX;
    for (const std::string& candidate : candidates) {
        const std::string name = to_lower(candidate);
        // Twice the distance, one more when the candidate does not contain the word: ties go to
        // "userdata" for "user".  (Never "minus one when it does": a distance of 0 would wrap.)
        const bool contains = !wanted.empty() && name.find(wanted) != std::string::npos;
        const size_t score = 2 * edit_distance(wanted, name) + (contains ? 0 : 1);
        if (score < best_score) {
            best_score = score;
            best = candidate;
        }
    }
    return best;
}

const PartitionRow& partition_named(const PartitionTable& table, std::string_view name, const std::string& source) {
    if (const PartitionRow* row = table.find(name)) return *row;
    if (table.rows.empty()) fail_usage(source, "no partition named " + quoted(name) + ": its GPT has no partitions");
    std::vector<std::string> names;
    std::string list;
    for (const PartitionRow& r : table.rows) {
        names.push_back(r.name);
        list += (list.empty() ? "" : ", ") + escape_controls(r.name);
    }
    fail_usage(source, "no partition named " + quoted(name) + "; did you mean " + quoted(closest_word(name, names)) +
                           "? The partitions are: " + list);
}

const PartitionRow& partition_numbered(const PartitionTable& table, uint64_t index, const std::string& source) {
    for (const PartitionRow& r : table.rows) {
        if (r.index == index) return r;
    }
    std::string list;
    for (const PartitionRow& r : table.rows) list += (list.empty() ? "" : ", ") + std::to_string(r.index);
    fail_usage(source, "no partition with index " + std::to_string(index) +
                           (list.empty() ? ": its GPT has no partitions" : "; the indexes in use are " + list));
}

}  // namespace mtkfw
