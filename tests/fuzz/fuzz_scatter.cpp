// Fuzzes the scatter reader (common/format/scatter.h) that fw-checksum and the pipeline use on scatter
// files of any version and form (text or XML), and the writers behind scatter-gen --reformat.
// Checked, for every model the writer accepts: in its own form, parse(write(x)) == x (style too) and
// writing again gives the same bytes; in the other form (text <-> XML), the same rows, header and
// storages come back (the text-only style fields take their defaults in XML).
#include "fuzz_support.h"
#include "format/scatter.h"

namespace {

// What both forms carry: everything but the text-only layout (banners, comments, the last blank line).
bool same_content(const mtkfw::Scatter& a, const mtkfw::Scatter& b) {
    return a.config_version == b.config_version && a.platform == b.platform && a.project == b.project &&
           a.general_extra == b.general_extra && a.storages == b.storages && a.partitions == b.partitions &&
           a.style.line_end == b.style.line_end && a.style.physical_tail_prefix == b.style.physical_tail_prefix;
}

}  // namespace

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

    // The other form: accepted too (the same checks decide), and read back to the same content.
    mtkfw::Scatter other = s;
    other.style.format = s.style.format == mtkfw::ScatterFormat::xml ? mtkfw::ScatterFormat::txt : mtkfw::ScatterFormat::xml;
    std::string other_text;
    FUZZ_CHECK(fuzz::accepts([&] { other_text = mtkfw::write_scatter(other); }));
    mtkfw::Scatter back;
    FUZZ_CHECK(fuzz::accepts([&] { back = mtkfw::parse_scatter(other_text, "converted scatter"); }));
    FUZZ_CHECK(back.style.format == other.style.format);
    FUZZ_CHECK(same_content(back, s));
    FUZZ_CHECK(mtkfw::list_scatter(back) == mtkfw::list_scatter(s));
    return 0;
}
