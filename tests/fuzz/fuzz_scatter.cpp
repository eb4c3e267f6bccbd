// Fuzzes the scatter reader (common/format/scatter.h) that fw-checksum and the pipeline use on scatter
// files of any version, and the writer behind scatter-gen --reformat.  Checked: a V1.x model the
// writer accepts parses back equal (parse(write(x)) == x), and writing is stable.
#include "fuzz_support.h"
#include "format/scatter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    mtkfw::Scatter s;
    if (!fuzz::accepts([&] { s = mtkfw::parse_scatter(fuzz::text_of(data, size), "fuzz.txt"); })) return 0;
    mtkfw::list_scatter(s);
    s.downloads();
    for (const mtkfw::ScatterPartition& p : s.partitions) FUZZ_CHECK(s.find(p.name, p.storage_type) != nullptr);

    std::string text;
    if (!fuzz::accepts([&] { text = mtkfw::write_scatter(s); })) return 0;
    mtkfw::Scatter again;
    FUZZ_CHECK(fuzz::accepts([&] { again = mtkfw::parse_scatter(text, "written scatter"); }));
    FUZZ_CHECK(again == s);
    FUZZ_CHECK(mtkfw::write_scatter(again) == text);
    return 0;
}
