#include "format/fstab.h"

namespace mtkfw::fstab {
namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        const size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> flags_of(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!text.empty()) {
        const size_t comma = text.find(',');
        const std::string_view flag = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        const size_t eq = flag.find('=');
        if (flag.empty() || eq == 0) continue;   // no name (",," or "=VALUE"): nothing asks for it
        if (eq == std::string_view::npos) {
            out.emplace_back(std::string(flag), std::string());
        } else {
            out.emplace_back(std::string(flag.substr(0, eq)), std::string(flag.substr(eq + 1)));
        }
    }
    return out;
}

}  // namespace

bool Entry::has(std::string_view flag) const {
    for (const auto& f : flags) {
        if (f.first == flag) return true;
    }
    return false;
}

std::string Entry::value(std::string_view flag) const {
    for (const auto& f : flags) {
        if (f.first == flag) return f.second;
    }
    return {};
}

std::vector<Entry> parse(std::string_view text) {
    std::vector<Entry> out;
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::vector<std::string_view> f = fields_of(line);
        if (f.size() < 4 || f[0].front() == '#') continue;
        Entry e{std::string(f[0]), std::string(f[1]), std::string(f[2]), {}};
        if (f.size() > 4) e.flags = flags_of(f[4]);
        out.push_back(std::move(e));
    }
    return out;
}

const Entry* mounted_at(const std::vector<Entry>& entries, std::string_view mount_point) {
    for (const Entry& e : entries) {
        if (e.mount_point == mount_point) return &e;
    }
    return nullptr;
}

std::string by_name_partition(std::string_view device) {
    constexpr std::string_view kByName = "/by-name/";
    const size_t at = device.rfind(kByName);
    if (at == std::string_view::npos) return {};
    const std::string_view name = device.substr(at + kByName.size());
    if (name.empty() || name.find('/') != std::string_view::npos) return {};
    return std::string(name);
}

UserdataKey userdata_key(const std::vector<Entry>& entries) {
    const Entry* data = mounted_at(entries, "/data");
    if (!data) return {};
    const std::string keydir = data->value("keydirectory");
    if (data->has("metadata_encryption") || keydir == "/metadata" || keydir.rfind("/metadata/", 0) == 0) {
        const Entry* metadata = mounted_at(entries, "/metadata");
        return {"metadata", metadata ? by_name_partition(metadata->device) : std::string()};
    }
    for (const char* fde : {"forceencrypt", "encryptable", "forcefdeorfbe"}) {
        if (data->has(fde)) return {"full", by_name_partition(data->value(fde))};
    }
    if (data->has("fileencryption")) return {"file", ""};
    return {"none", ""};
}

}  // namespace mtkfw::fstab
