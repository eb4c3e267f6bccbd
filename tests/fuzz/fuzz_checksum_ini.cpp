// Fuzzes the Checksum.ini reader of fw-checksum -c (common/format/checksum_ini.h) and its writer.
// Checked: what the writer accepts parses back to the same values (write(parse(x)) round-trips).
#include "format/checksum_ini.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    mtkfw::ChecksumIni ini;
    if (!fuzz::accepts([&] { ini = mtkfw::parse_checksum_ini(fuzz::text_of(data, size), "fuzz.ini"); })) return 0;
    std::string text;
    if (!fuzz::accepts([&] { text = mtkfw::write_checksum_ini(ini); })) return 0;
    mtkfw::ChecksumIni back;
    FUZZ_CHECK(fuzz::accepts([&] { back = mtkfw::parse_checksum_ini(text, "written.ini"); }));
    FUZZ_CHECK(back.tool == ini.tool && back.change_id == ini.change_id && back.checksum_switch == ini.checksum_switch);
    FUZZ_CHECK(back.v1.size() == ini.v1.size() && back.v2.size() == ini.v2.size());
    for (size_t i = 0; i < ini.v1.size(); ++i) FUZZ_CHECK(back.v1[i].name == ini.v1[i].name && back.v1[i].sum == ini.v1[i].sum);
    for (size_t i = 0; i < ini.v2.size(); ++i) FUZZ_CHECK(back.v2[i].name == ini.v2[i].name && back.v2[i].md5 == ini.v2[i].md5);
    FUZZ_CHECK(mtkfw::write_checksum_ini(back) == text);
    return 0;
}
