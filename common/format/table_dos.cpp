// write_dos_json: the JSON of an MBR/EBR table (format/table.h), keys as `sfdisk --json` writes a
// dos label (util-linux libfdisk), then our own byte fields as write_json has them for a GPT.
#include <sstream>
#include <vector>

#include "base/text.h"
#include "format/gpt.h"
#include "format/table.h"
#include "format/table_json.h"

namespace mtkfw {

std::string write_dos_json(const PartitionTable& t, const std::string& device) {
    std::ostringstream o;
    table_json::open(o, "dos", t, device);
    o << "      \"sectorsize\": " << t.sector_size << ",\n"
      << "      \"mbrstart\": " << t.first_lba << ",\n";
    table_json::dump_fields(o, t);
    o << "      \"tables\": [";
    for (size_t i = 0; i < t.tables.size(); ++i) {
        o << (i ? ", " : "") << "{\"name\": " << json_string(t.tables[i].first) << ", \"start_bytes\": " << t.tables[i].second
          << ", \"size_bytes\": 512}";
    }
    o << "],\n"
      << "      \"partitions\": [";
    // sfdisk's partitions are the table's entries; a template's raw rows (index 0) follow apart.
    std::vector<const PartitionRow*> entries, raw;
    for (const PartitionRow& r : t.rows) (r.index ? entries : raw).push_back(&r);
    for (size_t i = 0; i < entries.size(); ++i) {
        const PartitionRow& r = *entries[i];
        o << (i ? ",\n" : "\n") << "         {\"node\": " << json_string(device + std::to_string(r.index))
          << ", \"start\": " << r.start / t.sector_size << ", \"size\": " << r.size / t.sector_size
          << ", \"type\": " << json_string(r.type_guid) << ", \"name\": " << json_string(r.name)
          << ", \"table\": " << json_string(t.sources.count(r.index) ? t.sources.at(r.index) : "") << ", \"index\": " << r.index;
        table_json::row_bytes(o, r);
    }
    o << (entries.empty() ? "]" : "\n      ]");
    if (!raw.empty()) {
        o << ",\n      \"raw_partitions\": [";
        for (size_t i = 0; i < raw.size(); ++i) {
            const PartitionRow& r = *raw[i];
            o << (i ? ",\n" : "\n") << "         {\"name\": " << json_string(r.name);
            table_json::row_bytes(o, r);
        }
        o << "\n      ]";
    }
    o << "\n   }\n}\n";
    return o.str();
}

}  // namespace mtkfw
