#include "ops/userdata_key.h"

#include <vector>

#include "format/fstab.h"
#include "ops/fs_file.h"
#include "ops/named_fs.h"

namespace mtkfw {
namespace {

constexpr size_t kMaxFstabBytes = 256 * 1024;

// The GPT partition a by-name name stands for: itself, or with a slot suffix when the fstab line
// says slotselect (the active slot's, else a).
std::string gpt_name(const PartitionTable& table, const std::string& name, bool slotselect) {
    if (name.empty()) return {};
    if (table.find(name)) return name;
    if (!slotselect) return {};
    const std::string first = name + "_" + (table.slot == "b" ? "b" : "a");
    return table.find(first) ? first : std::string();
}

std::optional<UserdataKeyFacts> from_fstab(const Input& in, const PartitionTable& table, Notices& notices) {
    for (const NamedFs& fs : named_file_systems(in, table, "vendor")) {
        std::optional<FsFile> file;
        try {
            file = read_vendor_fstab(fs.region, kMaxFstabBytes);
        } catch (const Failure& f) {
            notices.push_back({Notice::Level::warning, fs.label + ": cannot read its fstab: " + f.what()});
            continue;
        }
        if (!file) continue;
        const std::vector<fstab::Entry> entries = fstab::parse(file->text);
        const fstab::UserdataKey key = fstab::userdata_key(entries);
        if (key.encryption.empty()) continue;  // no /data line: not the fstab that mounts userdata
        bool slotselect = false;
        if (const fstab::Entry* m = fstab::mounted_at(entries, "/metadata"); m && key.encryption == "metadata") {
            slotselect = m->has("slotselect");
        }
        // One word in the table's fact line: a blank in a label or path becomes '?'.
        std::string source = "fstab:" + fs.label + ":" + file->path;
        for (char& c : source) {
            if (static_cast<unsigned char>(c) <= ' ') c = '?';
        }
        return UserdataKeyFacts{gpt_name(table, key.key_partition, slotselect), source, key.encryption};
    }
    return std::nullopt;
}

}  // namespace

std::optional<UserdataKeyFacts> find_userdata_key(const Input& in, const PartitionTable& table, Notices& notices) {
    const PartitionRow* userdata = table.find("userdata");
    if (!userdata) return std::nullopt;
    if (auto facts = from_fstab(in, table, notices)) return facts;
    if (userdata->content != "f2fs") return std::nullopt;
    for (const char* name : {"md_udc", "metadata"}) {
        if (table.find(name)) return UserdataKeyFacts{name, "rule", ""};
    }
    return std::nullopt;
}

}  // namespace mtkfw
