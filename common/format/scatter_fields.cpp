// The scatter model's keys, shared by the text and XML forms: the builder both readers feed, the
// order and spelling of the keys both writers print, and the checks a model passes before either
// writes it (so that parse_scatter reads back exactly the model that was written).
#include <algorithm>
#include <cstdio>

#include "base/failure.h"
#include "base/number.h"
#include "base/text.h"
#include "format/scatter_forms.h"

namespace mtkfw::scatter_detail {
namespace {

// The keys every partition block must have, in the order MediaTek's generator writes them.
constexpr std::string_view kRequired[] = {
    "partition_index", "partition_name", "file_name",      "is_download", "type",
    "linear_start_addr", "physical_start_addr", "partition_size", "region", "storage",
    "boundary_check",  "is_reserved",    "operation_type", "reserve",
};
constexpr std::string_view kOptional[] = {"is_upgradable", "empty_boot_needed", "combo_partsize_check"};
// Keys the text reader gives a meaning of their own wherever they appear.
constexpr std::string_view kStructure[] = {"general", "storage_type", "info", "description"};
constexpr std::string_view kGeneral[] = {"config_version", "platform", "project", "storage", "boot_channel",
                                         "block_size"};

template <size_t N> bool one_of(std::string_view key, const std::string_view (&set)[N]) {
    return std::find(std::begin(set), std::end(set), key) != std::end(set);
}

// A value both readers give back as it is: no line break, no space, tab or CR at either end (the
// text reader trims spaces and tabs, the XML reader XML white space).
void check_value(std::string_view value, const std::string& what) {
    const auto edge = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    if (value.find('\n') != std::string_view::npos || (!value.empty() && (edge(value.front()) || edge(value.back())))) {
        fail_input(what, "'" + escape_controls(value) + "' has a line break or spaces at an end, which no scatter file can hold");
    }
}

void check_extra(const KeyValues& extra, const std::string& what, bool row) {
    for (const auto& [key, value] : extra) {
        const bool known = row ? one_of(key, kRequired) || one_of(key, kOptional) : one_of(key, kGeneral);
        if (!key_text(key) || known || one_of(key, kStructure) || key == "partition_index") {
            fail_input(what, "unknown key '" + escape_controls(key) +
                                 "' is not a key of letters, digits and '_' distinct from the known ones");
        }
        check_value(value, what + ": " + key);
    }
}

}  // namespace

bool key_text(std::string_view key) {
    return !key.empty() && key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                               std::string_view::npos;
}

std::string first_line_end(std::string_view text) {
    const size_t eol = text.find('\n');
    return eol != std::string_view::npos && eol > 0 && text[eol - 1] == '\r' ? "\r\n" : "\n";
}

void ScatterBuilder::bad(const std::string& why) const {
    fail_input(source_ + ": line " + std::to_string(line_), why);
}

uint64_t ScatterBuilder::number(std::string_view value, std::string_view key) const {
    try {
        return parse_size(value, key);
    } catch (const Failure& f) {
        bad(f.what());
    }
}

bool ScatterBuilder::boolean(std::string_view value, std::string_view key) const {
    if (value == "true") return true;
    if (value == "false") return false;
    bad(std::string(key) + ": expected true or false, got '" + std::string(value) + "'");
}

void ScatterBuilder::platform_key(const std::string& key, std::string_view value) {
    if (key == "config_version") s_.config_version = value;
    else if (key == "platform") s_.platform = value;
    else if (key == "project") s_.project = value;
    else if (key == "storage" || key == "boot_channel" || key == "block_size") {
        if (s_.storages.empty()) s_.storages.emplace_back();
        storage_key(key, value);
    } else {
        s_.general_extra.emplace_back(key, std::string(value));
    }
}

void ScatterBuilder::section(std::string_view storage_type) {
    end_row();
    storage_type_ = storage_type;
}

void ScatterBuilder::storage_block() {
    end_row();
    s_.storages.emplace_back();
}

void ScatterBuilder::storage_key(const std::string& key, std::string_view value) {
    ScatterStorage& st = s_.storages.back();
    if (key == "storage") st.storage = value;
    else if (key == "boot_channel") st.boot_channel = value;
    else if (key == "block_size") st.block_size = number(value, key);
}

void ScatterBuilder::begin_row() {
    end_row();
    in_row_ = true;
    row_ = ScatterPartition{};
    row_.storage_type = storage_type_;
    seen_.clear();
}

void ScatterBuilder::row_key(const std::string& key, std::string_view value) {
    if (!seen_.emplace(key, line_).second) bad("repeated key '" + key + "' in partition " + row_.index);
    ScatterPartition& p = row_;
    const std::string v(value);
    if (key == "partition_index") p.index = v;
    else if (key == "partition_name") p.name = v;
    else if (key == "file_name") p.file_name = v;
    else if (key == "is_download") p.is_download = boolean(value, key);
    else if (key == "type") p.type = v;
    else if (key == "linear_start_addr") p.linear_start = number(value, key);
    else if (key == "physical_start_addr") {
        p.physical_start = number(value, key);
        if (!tail_seen_ && scatter_end_relative(p.physical_start)) {
            tail_seen_ = true;
            if (value.starts_with("0xffff")) tail_prefix_ = "0xffff";
        }
    }
    else if (key == "partition_size") p.size = number(value, key);
    else if (key == "region") p.region = v;
    else if (key == "storage") p.storage = v;
    else if (key == "boundary_check") p.boundary_check = boolean(value, key);
    else if (key == "is_reserved") p.is_reserved = boolean(value, key);
    else if (key == "operation_type") p.operation_type = v;
    else if (key == "is_upgradable") p.is_upgradable = boolean(value, key);
    else if (key == "empty_boot_needed") p.empty_boot_needed = boolean(value, key);
    else if (key == "combo_partsize_check") p.combo_partsize_check = boolean(value, key);
    else if (key == "reserve") p.reserve = v;
    else p.extra.emplace_back(key, v);
}

void ScatterBuilder::end_row() {
    if (!in_row_) return;
    in_row_ = false;
    for (std::string_view key : kRequired) {
        if (!seen_.count(key)) {
            fail_input(source_, "partition " + row_.index + " (" + row_.name + ", line " +
                                    std::to_string(seen_["partition_index"]) + ") has no " + std::string(key));
        }
    }
    s_.partitions.push_back(std::move(row_));
}

Scatter ScatterBuilder::finish(ScatterStyle style) {
    end_row();
    if (s_.config_version.empty()) fail_input(source_, "no config_version: not a scatter file");
    if (s_.platform.empty()) fail_input(source_, "no platform in the general block");
    if (s_.partitions.empty()) fail_input(source_, "no partitions");
    s_.style = std::move(style);
    return std::move(s_);
}

std::string address(uint64_t v, std::string_view prefix) {
    if (!scatter_end_relative(v)) return hex(v);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", static_cast<unsigned>(v & 0xFFFF));
    return std::string(prefix) + buf;
}

const char* boolean_text(bool b) { return b ? "true" : "false"; }

KeyValues row_fields(const ScatterPartition& row, const ScatterStyle& style) {
    KeyValues f = {
        {"partition_index", row.index},
        {"partition_name", row.name},
        {"file_name", row.file_name},
        {"is_download", boolean_text(row.is_download)},
        {"type", row.type},
        {"linear_start_addr", address(row.linear_start)},
        {"physical_start_addr", address(row.physical_start, style.physical_tail_prefix)},
        {"partition_size", hex(row.size)},
        {"region", row.region},
        {"storage", row.storage},
        {"boundary_check", boolean_text(row.boundary_check)},
        {"is_reserved", boolean_text(row.is_reserved)},
        {"operation_type", row.operation_type},
    };
    if (row.is_upgradable) f.emplace_back("is_upgradable", boolean_text(*row.is_upgradable));
    if (row.empty_boot_needed) f.emplace_back("empty_boot_needed", boolean_text(*row.empty_boot_needed));
    if (row.combo_partsize_check) f.emplace_back("combo_partsize_check", boolean_text(*row.combo_partsize_check));
    f.insert(f.end(), row.extra.begin(), row.extra.end());
    f.emplace_back("reserve", row.reserve);
    return f;
}

KeyValues general_fields(const Scatter& scatter) {
    KeyValues f = {{"config_version", scatter.config_version}, {"platform", scatter.platform}, {"project", scatter.project}};
    if (scatter.config_version.starts_with("V1.")) {
        const ScatterStorage& st = scatter.storages.front();
        f.insert(f.end(), {{"storage", st.storage}, {"boot_channel", st.boot_channel}, {"block_size", hex(st.block_size)}});
    }
    f.insert(f.end(), scatter.general_extra.begin(), scatter.general_extra.end());
    return f;
}

bool check_writable(const Scatter& scatter) {
    const std::string what = "config_version " + scatter.config_version;
    const bool v1 = scatter.config_version.starts_with("V1.");
    if (!v1 && !scatter.config_version.starts_with("V2.")) {
        fail_input(what, "unknown scatter version: V1.x and V2.x can be written");
    }
    if (scatter.platform.empty()) fail_input(what, "no platform: a scatter file needs one");
    if (scatter.partitions.empty()) fail_input(what, "no partitions: a scatter file needs at least one");
    if (scatter.style.line_end != "\n" && scatter.style.line_end != "\r\n") {
        fail_input(what, "line end '" + escape_controls(scatter.style.line_end) + "': only LF or CRLF");
    }
    if (scatter.style.physical_tail_prefix != "0xFFFF" && scatter.style.physical_tail_prefix != "0xffff") {
        fail_input(what, "end-relative prefix '" + escape_controls(scatter.style.physical_tail_prefix) +
                             "': only 0xFFFF or 0xffff");
    }
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"config_version", &scatter.config_version},
                                     {"platform", &scatter.platform}, {"project", &scatter.project}}) {
        check_value(*value, std::string("the general block: ") + key);
    }
    check_extra(scatter.general_extra, "the general block", false);
    if (v1 && scatter.storages.size() != 1) {
        fail_input(what, "a V1.x file has exactly one storage, this model has " + std::to_string(scatter.storages.size()));
    }
    if (!v1 && scatter.storages.empty()) fail_input(what, "a V2.x file needs at least one storage_type section");
    for (size_t i = 0; i < scatter.storages.size(); ++i) {
        const ScatterStorage& st = scatter.storages[i];
        check_value(st.storage, "storage " + std::to_string(i + 1));
        check_value(st.boot_channel, "storage " + st.storage + ": boot_channel");
        if (!v1 && st.storage.empty()) fail_input(what, "storage section " + std::to_string(i + 1) + " has no name");
        for (size_t j = 0; j < i; ++j) {
            if (scatter.storages[j].storage == st.storage) fail_input(what, "two storage_type sections named " + st.storage);
        }
    }
    size_t section = 0;  // V2.x: rows grouped by section, in the sections' order
    for (const ScatterPartition& p : scatter.partitions) {
        const std::string row = "partition " + p.index + " (" + p.name + ")";
        if (v1 && !p.storage_type.empty()) {
            fail_input(row, "belongs to a V2.x storage_type section (" + p.storage_type + "), which a V1.x file cannot express");
        }
        if (!v1) {
            while (section < scatter.storages.size() && scatter.storages[section].storage != p.storage_type) ++section;
            if (section == scatter.storages.size()) {
                const bool named = std::any_of(scatter.storages.begin(), scatter.storages.end(),
                                               [&](const ScatterStorage& st) { return st.storage == p.storage_type; });
                fail_input(row, named ? "comes after the rows of a later section than its own (" + p.storage_type +
                                            "): rows are written section by section"
                                      : "storage_type '" + p.storage_type + "' names no storage section of the model");
            }
        }
        for (const auto& [key, value] : row_fields(p, scatter.style)) check_value(value, row + ": " + key);
        check_extra(p.extra, row, true);
    }
    return !v1;
}

std::vector<const ScatterPartition*> rows_of(const Scatter& scatter, const ScatterStorage* section) {
    std::vector<const ScatterPartition*> out;
    for (const ScatterPartition& p : scatter.partitions) {
        if (!section || p.storage_type == section->storage) out.push_back(&p);
    }
    return out;
}

}  // namespace mtkfw::scatter_detail
