// What the two JSON writers of format/table.h share (write_json for a GPT, write_dos_json for
// an MBR/EBR table in table_dos.cpp): the keys each label writes alike, spelled once.  Not for use
// outside format/table*.cpp.
#pragma once

#include <ostream>
#include <string>

#include "format/table.h"

namespace mtkfw::table_json {

// `{ "partitiontable": { "label": LABEL, "id", "device", "unit": "sectors",` (sfdisk's first keys).
void open(std::ostream& o, const char* label, const PartitionTable& t, const std::string& device);

// Our fields about the dump: "dumpsize" ... "platform", each line ending ",\n".
void dump_fields(std::ostream& o, const PartitionTable& t);

// A row's byte fields, closing its object: `, "start_bytes": N, "size_bytes": N, "content", "label"}`.
void row_bytes(std::ostream& o, const PartitionRow& r);

}  // namespace mtkfw::table_json
