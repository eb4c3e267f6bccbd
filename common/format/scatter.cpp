// The scatter model's queries, the choice between the text and XML forms, list_scatter and the
// conversion between the forms.  The forms themselves: scatter_text.cpp, scatter_xml.cpp; what they
// share: scatter_fields.cpp.
#include "format/scatter.h"

#include <algorithm>

#include "base/failure.h"
#include "base/text.h"
#include "format/scatter_forms.h"

namespace mtkfw {

using namespace scatter_detail;

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
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM (Windows editors)
    if (trim(text).empty()) fail_input(source_name, "empty scatter file (did the command before this one fail?)");
    return looks_like_xml(text) ? parse_xml(text, source_name) : parse_text(text, source_name);
}

std::string write_scatter(const Scatter& scatter) {
    const bool sections = check_writable(scatter);
    return scatter.style.format == ScatterFormat::xml ? write_xml(scatter, sections) : write_text(scatter, sections);
}

// V1.1.8's two header keys, present in both text samples (biloba, p325a) and absent from p325a's XML.
constexpr std::pair<const char*, const char*> kModemKeys[] = {{"modem_check", "false"}, {"modem", "NA"}};

Scatter convert_scatter(Scatter scatter, ScatterFormat format) {
    if (scatter.style.format == format) return scatter;
    scatter.style.format = format;
    if (scatter.config_version != "V1.1.8") return scatter;
    auto& extra = scatter.general_extra;
    if (format == ScatterFormat::xml) {
        std::erase_if(extra, [](const auto& kv) { return kv.first == "modem_check" || kv.first == "modem"; });
    } else if (extra.empty()) {
        for (const auto& [key, value] : kModemKeys) extra.emplace_back(key, value);
    }
    return scatter;
}

std::string list_scatter(const Scatter& scatter) {
    const auto optional = [](const std::optional<bool>& b) { return b ? std::string(boolean_text(*b)) : std::string(); };
    std::string text = "storage_type\tindex\tname\tfile_name\tis_download\ttype\tlinear_start\tphysical_start"
                       "\tsize\tregion\tstorage\tboundary_check\tis_reserved\toperation_type"
                       "\tis_upgradable\tempty_boot_needed\tcombo_partsize_check\n";
    for (const ScatterPartition& row : scatter.partitions) {
        text += row.storage_type + "\t" + row.index + "\t" + row.name + "\t" + row.file_name + "\t" +
                boolean_text(row.is_download) + "\t" + row.type + "\t" + address(row.linear_start) + "\t" +
                address(row.physical_start) + "\t" + hex(row.size) + "\t" + row.region + "\t" + row.storage + "\t" +
                boolean_text(row.boundary_check) + "\t" + boolean_text(row.is_reserved) + "\t" + row.operation_type +
                "\t" + optional(row.is_upgradable) + "\t" + optional(row.empty_boot_needed) + "\t" +
                optional(row.combo_partsize_check) + "\n";
    }
    return text;
}

}  // namespace mtkfw
