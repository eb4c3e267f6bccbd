// Fuzzes the legacy MBR/EBR module (common/format/mbr.h, common/ops/mbr_reader.h) the way gpt-list
// uses it: find_mbr over the candidate offsets, read_mbr following the chain, then content
// detection and the table's text forms.  Checked: no data partition past the dump, none over
// another or over a table sector, Linux numbering, TSV round-trips.
//
// Input: byte 0 holds the dump size, 2^(byte % 34) bytes (a hole: sparse, no memory); then
// records of 4 bytes (a sector number, little-endian) and the 512 bytes placed there.  A record
// past the dump or cut short is dropped.  The seeds (make-seeds) place real MBR/EBR sectors.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "base/bytes.h"
#include "format/table.h"
#include "fuzz_support.h"
#include "ops/content.h"
#include "ops/mbr_reader.h"

namespace {

constexpr size_t kRecord = 4 + 512;

// A hole of `size` bytes (fuzz::MemFile) with the records' sectors written at their places.
void place_records(const fuzz::MemFile& dump, const uint8_t* data, size_t n, uint64_t size) {
    for (size_t at = 0; at + kRecord <= n; at += kRecord) {
        const uint64_t offset = uint64_t{mtkfw::le32(mtkfw::Bytes(data + at, 4), 0)} * 512;
        if (offset + 512 > size) continue;
        if (pwrite(dump.fd(), data + at + 4, 512, static_cast<off_t>(offset)) != 512) std::abort();
    }
}

void check_table(const mtkfw::PartitionTable& t, const mtkfw::Input& in) {
    FUZZ_CHECK(t.label == "mbr" && t.sector_size == 512 && t.dump_size && *t.dump_size == in.size());
    std::vector<std::pair<uint64_t, uint64_t>> data;
    uint32_t last_logical = 4;
    for (const mtkfw::PartitionRow& r : t.rows) {
        FUZZ_CHECK(r.index >= 1 && r.end() >= r.start && r.end() <= in.size());
        FUZZ_CHECK(r.start % 512 == 0 && r.size % 512 == 0);
        FUZZ_CHECK(t.sources.count(r.index));
        if (r.index > 4) {
            FUZZ_CHECK(r.index == last_logical + 1);  // logical partitions from p5, in chain order
            last_logical = r.index;
        }
        if (r.type_guid != "5" && r.type_guid != "f" && r.type_guid != "85") data.push_back({r.start, r.end()});
    }
    std::sort(data.begin(), data.end());
    for (size_t i = 1; i < data.size(); ++i) FUZZ_CHECK(data[i].first >= data[i - 1].second);
    const mtkfw::PartitionTable back = mtkfw::parse_tsv(mtkfw::write_tsv(t), "tsv");
    FUZZ_CHECK(back.label == "mbr" && back.rows.size() == t.rows.size());
    for (size_t i = 0; i < t.rows.size(); ++i) {
        FUZZ_CHECK(back.rows[i].index == t.rows[i].index && back.rows[i].start == t.rows[i].start &&
                   back.rows[i].size == t.rows[i].size && back.rows[i].type_guid == t.rows[i].type_guid);
    }
    mtkfw::write_json(t, in.name());
    mtkfw::write_human(t, in.name());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint64_t dump_size = uint64_t{1} << (data[0] % 34);
    const fuzz::MemFile dump(nullptr, 0, dump_size);
    place_records(dump, data + 1, size - 1, dump_size);
    mtkfw::Input in = mtkfw::Input::open(dump.path());
    mtkfw::Notices notices;
    fuzz::accepts([&] {
        const std::optional<uint64_t> at = mtkfw::find_mbr(in);
        if (!at) return;
        FUZZ_CHECK(*at % (512 * 1024) == 0 && *at < (32u << 20));
        mtkfw::PartitionTable t = mtkfw::read_mbr(in, *at, notices);
        mtkfw::detect_contents(in, &t);
        check_table(t, in);
    });
    return 0;
}
