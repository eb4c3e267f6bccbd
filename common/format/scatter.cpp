#include "format/scatter.h"

#include <cstdio>
#include <map>

#include "base/failure.h"
#include "base/lines.h"
#include "base/number.h"
#include "base/text.h"

namespace mtkfw {
namespace {

const std::string kBanner(108, '#');

// The keys every partition block must have, in the order MediaTek's generator writes them.
constexpr std::string_view kRequired[] = {
    "partition_index", "partition_name", "file_name",      "is_download", "type",
    "linear_start_addr", "physical_start_addr", "partition_size", "region", "storage",
    "boundary_check",  "is_reserved",    "operation_type", "reserve",
};

class Reader {
public:
    Reader(std::string_view text, const std::string& source) : source_(source), lines_(text, source) {
        if (trim(text).empty()) fail_input(source_, "empty scatter file (did the command before this one fail?)");
    }

    Scatter read() {
        for (std::string_view text; lines_.next(&text);) line(trim(text));
        finish_partition();
        if (s_.config_version.empty()) fail_input(source_, "no config_version: not a scatter file");
        if (s_.platform.empty()) fail_input(source_, "no platform in the general block");
        if (s_.partitions.empty()) fail_input(source_, "no partitions");
        return std::move(s_);
    }

private:
    [[noreturn]] void bad(const std::string& why) const {
        fail_input(source_ + ": line " + std::to_string(lines_.number()), why);
    }

    uint64_t number(std::string_view value, std::string_view key) const {
        try {
            return parse_size(value, key);
        } catch (const Failure& f) {
            bad(f.what());
        }
    }

    bool boolean(std::string_view value, std::string_view key) const {
        if (value == "true") return true;
        if (value == "false") return false;
        bad(std::string(key) + ": expected true or false, got '" + std::string(value) + "'");
    }

    void line(std::string_view text) {
        if (text.empty() || text.front() == '#') return;
        if (text.starts_with("- ")) text = trim(text.substr(2));
        const size_t colon = text.find(':');
        if (colon == std::string_view::npos) bad("expected 'key: value', got '" + std::string(text) + "'");
        const std::string key(trim(text.substr(0, colon)));
        if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                               std::string::npos) {
            bad("expected 'key: value' with a key of letters, digits and '_', got '" + std::string(text) + "'");
        }
        const std::string_view value = trim(text.substr(colon + 1));

        if (key == "partition_index") {
            finish_partition();
            in_partition_ = true;
            part_ = ScatterPartition{};
            part_.storage_type = storage_type_;
            seen_.clear();
        } else if (key == "general" || key == "storage_type") {
            finish_partition();
            if (key == "storage_type") storage_type_ = value;
            if (value == "MTK_STORAGE_CFG") s_.storages.emplace_back();
            return;
        } else if (key == "info" || key == "description") {
            return;
        }
        if (in_partition_) partition_key(key, value);
        else general_key(key, value);
    }

    void general_key(const std::string& key, std::string_view value) {
        if (key == "config_version") s_.config_version = value;
        else if (key == "platform") s_.platform = value;
        else if (key == "project") s_.project = value;
        else if (key == "storage" || key == "boot_channel" || key == "block_size") {
            if (s_.storages.empty()) s_.storages.emplace_back();
            ScatterStorage& st = s_.storages.back();
            if (key == "storage") st.storage = value;
            else if (key == "boot_channel") st.boot_channel = value;
            else st.block_size = number(value, key);
        }
        // Other general keys (newer tools add some) carry nothing we use.
    }

    void partition_key(const std::string& key, std::string_view value) {
        if (!seen_.emplace(key, lines_.number()).second) bad("repeated key '" + key + "' in partition " + part_.index);
        ScatterPartition& p = part_;
        const std::string v(value);
        if (key == "partition_index") p.index = v;
        else if (key == "partition_name") p.name = v;
        else if (key == "file_name") p.file_name = v;
        else if (key == "is_download") p.is_download = boolean(value, key);
        else if (key == "type") p.type = v;
        else if (key == "linear_start_addr") p.linear_start = number(value, key);
        else if (key == "physical_start_addr") p.physical_start = number(value, key);
        else if (key == "partition_size") p.size = number(value, key);
        else if (key == "region") p.region = v;
        else if (key == "storage") p.storage = v;
        else if (key == "boundary_check") p.boundary_check = boolean(value, key);
        else if (key == "is_reserved") p.is_reserved = boolean(value, key);
        else if (key == "operation_type") p.operation_type = v;
        else if (key == "is_upgradable") p.is_upgradable = boolean(value, key);
        else if (key == "empty_boot_needed") p.empty_boot_needed = boolean(value, key);
        else if (key == "reserve") p.reserve = v;
        else p.extra.emplace_back(key, v);
    }

    void finish_partition() {
        if (!in_partition_) return;
        in_partition_ = false;
        for (std::string_view key : kRequired) {
            if (!seen_.count(std::string(key))) {
                fail_input(source_, "partition " + part_.index + " (" + part_.name + ", line " +
                                        std::to_string(seen_["partition_index"]) + ") has no " + std::string(key));
            }
        }
        s_.partitions.push_back(std::move(part_));
    }

    const std::string& source_;
    Lines lines_;
    Scatter s_;
    std::string storage_type_;
    bool in_partition_ = false;
    ScatterPartition part_;
    std::map<std::string, size_t> seen_;  // key -> line, for the current partition
};

// 0x%x, except end-relative addresses, which MediaTek writes with an upper-case 0xFFFF prefix.
std::string address(uint64_t v) {
    if (!scatter_end_relative(v)) return hex(v);
    char buf[16];
    std::snprintf(buf, sizeof buf, "0xFFFF%04x", static_cast<unsigned>(v & 0xFFFF));
    return buf;
}

const char* boolean_text(bool b) { return b ? "true" : "false"; }

void banner(std::string& text, std::string_view title) {
    text += kBanner + "\n#\n#  " + std::string(title) + "\n#\n" + kBanner + "\n";
}

// V1.x has one storage, in the general block, and no storage_type sections.
void check_writable(const Scatter& scatter) {
    if (scatter.storages.size() != 1 || !scatter.config_version.starts_with("V1.")) {
        fail_input("config_version " + scatter.config_version, "only V1.x scatter files with one storage can be written");
    }
    for (const ScatterPartition& p : scatter.partitions) {
        if (!p.storage_type.empty()) {
            fail_input("partition " + p.name, "belongs to a V2.x storage_type section (" + p.storage_type +
                                                  "), which a V1.x file cannot express");
        }
    }
}

void write_general(std::string& text, const Scatter& scatter) {
    const ScatterStorage& storage = scatter.storages.front();
    banner(text, "General Setting");
    text += "- general: MTK_PLATFORM_CFG\n  info: \n";
    text += "    - config_version: " + scatter.config_version + "\n";
    text += "      platform: " + scatter.platform + "\n";
    text += "      project: " + scatter.project + "\n";
    text += "      storage: " + storage.storage + "\n";
    text += "      boot_channel: " + storage.boot_channel + "\n";
    text += "      block_size: " + hex(storage.block_size) + "\n";
}

void write_partition(std::string& text, const ScatterPartition& row) {
    text += "- partition_index: " + row.index + "\n";
    text += "  partition_name: " + row.name + "\n";
    text += "  file_name: " + row.file_name + "\n";
    text += std::string("  is_download: ") + boolean_text(row.is_download) + "\n";
    text += "  type: " + row.type + "\n";
    text += "  linear_start_addr: " + address(row.linear_start) + "\n";
    text += "  physical_start_addr: " + address(row.physical_start) + "\n";
    text += "  partition_size: " + hex(row.size) + "\n";
    text += "  region: " + row.region + "\n";
    text += "  storage: " + row.storage + "\n";
    text += std::string("  boundary_check: ") + boolean_text(row.boundary_check) + "\n";
    text += std::string("  is_reserved: ") + boolean_text(row.is_reserved) + "\n";
    text += "  operation_type: " + row.operation_type + "\n";
    if (row.is_upgradable) text += std::string("  is_upgradable: ") + boolean_text(*row.is_upgradable) + "\n";
    if (row.empty_boot_needed) text += std::string("  empty_boot_needed: ") + boolean_text(*row.empty_boot_needed) + "\n";
    for (const auto& [key, value] : row.extra) text += "  " + key + ": " + value + "\n";
    text += "  reserve: " + row.reserve + "\n\n";
}

}  // namespace

std::vector<const ScatterPartition*> Scatter::downloads(std::string_view storage_type) const {
    std::vector<const ScatterPartition*> out;
    for (const ScatterPartition& p : partitions) {
        if (p.is_download && (storage_type.empty() || p.storage_type == storage_type)) out.push_back(&p);
    }
    return out;
}

const ScatterPartition* Scatter::find(std::string_view name, std::string_view storage_type) const {
    for (const ScatterPartition& p : partitions) {
        if (p.name == name && (storage_type.empty() || p.storage_type == storage_type)) return &p;
    }
    return nullptr;
}

Scatter parse_scatter(std::string_view text, const std::string& source_name) {
    return Reader(text, source_name).read();
}

std::string write_scatter(const Scatter& scatter) {
    check_writable(scatter);
    std::string text;
    write_general(text, scatter);
    banner(text, "Layout Setting");
    for (const ScatterPartition& p : scatter.partitions) write_partition(text, p);
    return text;
}

std::string list_scatter(const Scatter& scatter) {
    std::string text = "storage_type\tindex\tname\tfile_name\tis_download\ttype\tlinear_start\tphysical_start"
                       "\tsize\tregion\tstorage\tboundary_check\tis_reserved\toperation_type\n";
    for (const ScatterPartition& row : scatter.partitions) {
        text += row.storage_type + "\t" + row.index + "\t" + row.name + "\t" + row.file_name + "\t" +
                boolean_text(row.is_download) + "\t" + row.type + "\t" + address(row.linear_start) + "\t" +
                address(row.physical_start) + "\t" + hex(row.size) + "\t" + row.region + "\t" + row.storage + "\t" +
                boolean_text(row.boundary_check) + "\t" + boolean_text(row.is_reserved) + "\t" + row.operation_type +
                "\n";
    }
    return text;
}

}  // namespace mtkfw
