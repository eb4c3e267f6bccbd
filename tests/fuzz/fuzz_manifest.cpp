// Fuzzes the checksum-list readers of fw-checksum --format md5sum|xxh128 -c (common/format/manifest.h)
// and the writers.  Checked: a list the writer accepts parses back to the same names and digests.
// Input: byte 0 picks the format (even: md5sum, odd: xxh128), the rest is the list.
#include "fuzz_support.h"
#include "format/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const mtkfw::ManifestFormat format = data[0] & 1 ? mtkfw::ManifestFormat::xxh128 : mtkfw::ManifestFormat::md5sum;
    std::vector<mtkfw::ManifestEntry> entries;
    if (!fuzz::accepts([&] { entries = mtkfw::parse_manifest(format, fuzz::text_of(data + 1, size - 1), "fuzz.list"); })) {
        return 0;
    }
    FUZZ_CHECK(!entries.empty());
    std::string text;
    if (!fuzz::accepts([&] { text = mtkfw::write_manifest(format, entries); })) return 0;
    std::vector<mtkfw::ManifestEntry> back;
    FUZZ_CHECK(fuzz::accepts([&] { back = mtkfw::parse_manifest(format, text, "written.list"); }));
    FUZZ_CHECK(back.size() == entries.size());
    for (size_t i = 0; i < entries.size(); ++i) FUZZ_CHECK(back[i].name == entries[i].name && back[i].digest == entries[i].digest);
    return 0;
}
