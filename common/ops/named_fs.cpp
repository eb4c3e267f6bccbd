#include "ops/named_fs.h"

#include "base/failure.h"
#include "ops/lp_super.h"

namespace mtkfw {
namespace {

// The names a partition goes by: itself, then with the active slot's suffix (or _a when no slot
// is known), then the other slot's.
std::vector<std::string> names_of(const std::string& partition, const std::string& slot) {
    const std::string first = slot == "b" ? "b" : "a", second = first == "a" ? "b" : "a";
    return {partition, partition + "_" + first, partition + "_" + second};
}

}  // namespace

std::vector<NamedFs> named_file_systems(const Input& in, const PartitionTable& table, const std::string& name) {
    std::vector<NamedFs> out;
    if (!in.seekable()) return out;
    const std::vector<std::string> names = names_of(name, table.slot);
    for (const std::string& n : names) {
        const PartitionRow* row = table.find(n);
        if (!row || (row->content.rfind("ext", 0) != 0 && row->content != "erofs") || row->end() > in.size()) continue;
        out.push_back({Region(in, row->start, row->size), n});
    }
    for (const PartitionRow& row : table.rows) {
        if (row.content != "lp" || row.end() > in.size()) continue;
        try {
            Notices ignored;
            const lp::Super super = lp::read_super(in, row.start, row.size, ignored);
            const std::vector<lp::LogicalPartition> parts = lp::logical_partitions(super);
            for (const std::string& n : names) {
                for (const lp::LogicalPartition& part : parts) {
                    if (part.name != n || part.size == 0) continue;
                    Region fs = lp::region_of(in, super, part);
                    std::string label = fs.name();
                    out.push_back({std::move(fs), std::move(label)});
                }
            }
        } catch (const Failure&) {
            // an unreadable super holds no file system we can read
        }
    }
    return out;
}

}  // namespace mtkfw
