// Fuzzes the partition-table interchange (common/table.h) as scatter-gen reads it: parse_tsv on
// any text (what a pipe delivers, a hand-edited file), then every view of the table, the name
// and index lookup of part-cut (partition_lookup.h) and the scatter layout built from it.
// Checked: write_tsv(parse_tsv(x)) parses back to the same rows, and a scatter laid out from the
// table parses back to the same model (parse(write(x)) == x).
#include "fuzz_support.h"
#include "ops/partition_lookup.h"
#include "ops/scatter.h"
#include "ops/scatter_layout.h"
#include "format/scatter_policy.h"
#include "format/table.h"

namespace {

void same_rows(const mtkfw::PartitionTable& a, const mtkfw::PartitionTable& b) {
    FUZZ_CHECK(a.sector_size == b.sector_size && a.dump_size == b.dump_size && a.disk_size == b.disk_size);
    FUZZ_CHECK(a.first_lba == b.first_lba && a.last_lba == b.last_lba);
    FUZZ_CHECK(a.rows.size() == b.rows.size());
    for (size_t i = 0; i < a.rows.size(); ++i) {
        const mtkfw::PartitionRow &x = a.rows[i], &y = b.rows[i];
        FUZZ_CHECK(x.index == y.index && x.name == y.name && x.start == y.start && x.size == y.size);
        FUZZ_CHECK(x.content == y.content && x.label == y.label && x.attributes == y.attributes);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    mtkfw::PartitionTable t;
    if (!fuzz::accepts([&] { t = mtkfw::parse_tsv(fuzz::text_of(data, size), "fuzz.tsv"); })) return 0;

    mtkfw::PartitionTable back;
    FUZZ_CHECK(fuzz::accepts([&] { back = mtkfw::parse_tsv(mtkfw::write_tsv(t), "written.tsv"); }));
    same_rows(t, back);
    mtkfw::write_json(t, "fuzz");
    mtkfw::write_human(t, "fuzz");
    // part-cut NAME / --index N: exact hits, and a misspelt name (the suggestion code).
    for (const mtkfw::PartitionRow& r : t.rows) {
        FUZZ_CHECK(mtkfw::partition_named(t, r.name, "fuzz").name == r.name);  // the first of that name
        FUZZ_CHECK(mtkfw::partition_numbered(t, r.index, "fuzz").index == r.index);
    }
    if (!t.rows.empty()) {
        fuzz::accepts([&] { mtkfw::partition_named(t, t.rows.back().name + "x", "fuzz"); });
        fuzz::accepts([&] { mtkfw::partition_numbered(t, 0, "fuzz"); });
    }

    // scatter-gen --platform MT6752 --project fuzz (device size from the table).
    mtkfw::LayoutOptions o;
    o.platform = "MT6752";
    o.project = "fuzz";
    o.preloader_file = "preloader_fuzz.bin";
    o.device_size = t.dump_size ? *t.dump_size : t.disk_size;
    for (bool absolute : {false, true}) {
        o.absolute_tail = absolute;
        mtkfw::Notices notices;
        mtkfw::Scatter s;
        if (!fuzz::accepts([&] { s = mtkfw::layout_scatter(t, mtkfw::ScatterPolicy::builtin(), o, notices); })) continue;
        const std::string text = mtkfw::write_scatter(s);
        mtkfw::Scatter again;
        FUZZ_CHECK(fuzz::accepts([&] { again = mtkfw::parse_scatter(text, "written scatter"); }));
        FUZZ_CHECK(again == s);
    }
    return 0;
}
