// Fuzzes the Android fstab reader (common/format/fstab.h) that readback2fw asks which partition
// holds userdata's key.  Checked: it never fails on any text, every entry it returns is a line of
// four or more fields, mounted_at() finds the first such line, by_name_partition() gives a name
// only for a ".../by-name/NAME" path, and userdata_key() answers as its contract lists.
#include "fuzz_support.h"
#include "format/fstab.h"

namespace {

bool one_of(const std::string& s, std::initializer_list<const char*> values) {
    for (const char* v : values) {
        if (s == v) return true;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace fstab = mtkfw::fstab;
    const std::string_view text = fuzz::text_of(data, size);
    std::vector<fstab::Entry> entries;
    FUZZ_CHECK(fuzz::accepts([&] { entries = fstab::parse(text); }));   // text is never refused
    for (const fstab::Entry& e : entries) {
        FUZZ_CHECK(!e.device.empty() && !e.mount_point.empty() && !e.type.empty());
        FUZZ_CHECK(e.device.front() != '#');
        for (const std::string* field : {&e.device, &e.mount_point, &e.type}) {
            FUZZ_CHECK(field->find_first_of(" \t\n") == std::string::npos);
        }
        for (const auto& [name, value] : e.flags) {
            FUZZ_CHECK(!name.empty() && name.find_first_of(",=") == std::string::npos);
            FUZZ_CHECK(e.has(name));
            FUZZ_CHECK(value.find(',') == std::string::npos);
        }
        const std::string name = fstab::by_name_partition(e.device);
        if (!name.empty()) {
            FUZZ_CHECK(name.find('/') == std::string::npos);
            const std::string tail = "/by-name/" + name;
            FUZZ_CHECK(e.device.size() >= tail.size() && e.device.compare(e.device.size() - tail.size(), tail.size(), tail) == 0);
        }
    }
    const fstab::Entry* data_line = fstab::mounted_at(entries, "/data");
    for (const fstab::Entry& e : entries) {
        if (&e == data_line) break;
        FUZZ_CHECK(e.mount_point != "/data");   // the first /data line, not a later one
    }
    const fstab::UserdataKey key = fstab::userdata_key(entries);
    FUZZ_CHECK(key.encryption.empty() == (data_line == nullptr));
    FUZZ_CHECK(one_of(key.encryption, {"", "metadata", "full", "file", "none"}));
    if (one_of(key.encryption, {"", "file", "none"})) FUZZ_CHECK(key.key_partition.empty());
    if (key.encryption == "metadata") {
        const fstab::Entry* metadata = fstab::mounted_at(entries, "/metadata");
        FUZZ_CHECK(key.key_partition == (metadata ? fstab::by_name_partition(metadata->device) : ""));
    }
    if (!key.key_partition.empty()) FUZZ_CHECK(key.key_partition.find('/') == std::string::npos);
    return 0;
}
