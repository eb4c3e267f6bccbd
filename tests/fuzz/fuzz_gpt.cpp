// Fuzzes the GPT module (common/format/gpt.h, common/ops/gpt_reader.h) the way gpt-list and part-cut use it: read_gpt on a
// seekable dump (primary header and entries, the backup at AlternateLBA, the tail scan for a
// lone backup, the truncation check) or on a pipe, then content detection and the table's
// text forms.  Checked: every row lies where the table says and TSV round-trips.
//
// Input: byte 0 holds options, the rest is the dump.
//   bits 0-1  --sector-size: 0 and 3 detect, 1 = 512, 2 = 4096
//   bit  2    allow_truncated (part-cut)
//   bit  3    recompute the CRC32s of the primary header and its entries before reading
//   bit  4    recompute the CRC32s of the backup (at the primary's AlternateLBA) likewise
//   bit  5    read through a pipe instead of a file
//   bit  6    grow the dump with a hole to 2^(byte 1 % 48) bytes (lying sizes: huge LBAs)
// Without the CRC fix-ups almost every mutation dies at a CRC check; with them the fuzzer
// reaches the range and backup logic.
#include <zlib.h>

#include <algorithm>
#include <vector>

#include "base/bytes.h"
#include "ops/content.h"
#include "fuzz_support.h"
#include "ops/gpt_reader.h"
#include "format/table.h"

namespace {

uint32_t crc(const uint8_t* p, size_t n) { return static_cast<uint32_t>(crc32(0L, p, static_cast<uInt>(n))); }

// Makes the header at `lba` (and its entry array, when inside `disk`) pass the CRC checks.
// Returns the header's AlternateLBA, or 0 when there is no header there.
uint64_t fix_crcs(std::vector<uint8_t>& disk, uint32_t ss, uint64_t lba) {
    if (lba == 0 || lba > disk.size() / ss || (lba + 1) * ss > disk.size()) return 0;
    uint8_t* h = disk.data() + lba * ss;
    if (std::memcmp(h, "EFI PART", 8) != 0) return 0;
    const mtkfw::Bytes hb(h, ss);
    const uint64_t entries_lba = mtkfw::le64(hb, 0x48);
    const uint64_t entries_bytes = static_cast<uint64_t>(mtkfw::le32(hb, 0x50)) * mtkfw::le32(hb, 0x54);
    if (entries_lba < disk.size() / ss && entries_bytes <= disk.size() - entries_lba * ss) {
        mtkfw::put_le32(h + 0x58, crc(disk.data() + entries_lba * ss, entries_bytes));
    }
    const uint32_t header_size = mtkfw::le32(hb, 0x0C);
    if (header_size >= 92 && header_size <= ss) {
        mtkfw::put_le32(h + 0x10, 0);
        mtkfw::put_le32(h + 0x10, crc(h, header_size));
    }
    return mtkfw::le64(hb, 0x20);
}

void check_table(const mtkfw::PartitionTable& t, const mtkfw::Input& in) {
    FUZZ_CHECK(t.sector_size == 512 || t.sector_size == 4096);
    for (const mtkfw::PartitionRow& r : t.rows) {
        FUZZ_CHECK(r.size > 0 && r.size % t.sector_size == 0 && r.start % t.sector_size == 0);
        FUZZ_CHECK(r.end() >= r.start);  // no wrap-around
        FUZZ_CHECK(r.index >= 1);
    }
    // What gpt-list prints and scatter-gen reads back.
    const std::string tsv = mtkfw::write_tsv(t);
    const mtkfw::PartitionTable back = mtkfw::parse_tsv(tsv, "tsv");
    FUZZ_CHECK(back.rows.size() == t.rows.size());
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const mtkfw::PartitionRow &a = t.rows[i], &b = back.rows[i];
        FUZZ_CHECK(a.index == b.index && a.name == b.name && a.start == b.start && a.size == b.size);
        FUZZ_CHECK(a.content == b.content && a.label == b.label && a.uuid == b.uuid && a.attributes == b.attributes);
    }
    FUZZ_CHECK(back.disk_size == t.disk_size && back.dump_size == t.dump_size && back.sector_size == t.sector_size);
    mtkfw::write_json(t, in.name());
    mtkfw::write_human(t, in.name());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const uint8_t flags = data[0];
    std::vector<uint8_t> disk(data + 1, data + size);

    mtkfw::GptReadOptions options;
    if ((flags & 3) == 1) options.sector_size = 512;
    if ((flags & 3) == 2) options.sector_size = 4096;
    options.allow_truncated = flags & 4;
    const uint32_t ss = options.sector_size ? *options.sector_size
                        : disk.size() >= 520 && std::memcmp(disk.data() + 512, "EFI PART", 8) == 0 ? 512
                                                                                                  : 4096;
    if (flags & 8) {
        const uint64_t alternate = fix_crcs(disk, ss, 1);
        if (flags & 16) fix_crcs(disk, ss, alternate);
    }
    const uint64_t grow_to = (flags & 64) ? uint64_t{1} << (data[1] % 48) : 0;

    mtkfw::Notices notices;
    if (flags & 32) {
        fuzz::PipeFile file(disk.data(), disk.size());
        mtkfw::Input in = mtkfw::Input::open(file.path());
        file.close_writer();
        FUZZ_CHECK(!in.seekable());
        fuzz::accepts([&] {
            mtkfw::PartitionTable t = mtkfw::read_gpt(in, options, notices);
            FUZZ_CHECK(!t.dump_size);
            mtkfw::detect_contents(in, &t);
            check_table(t, in);
        });
    } else {
        fuzz::MemFile file(disk.data(), disk.size(), grow_to);
        mtkfw::Input in = mtkfw::Input::open(file.path());
        FUZZ_CHECK(in.seekable());
        fuzz::accepts([&] {
            mtkfw::PartitionTable t = mtkfw::read_gpt(in, options, notices);
            FUZZ_CHECK(t.dump_size && *t.dump_size == in.size());
            if (!options.allow_truncated) FUZZ_CHECK(t.disk_size <= in.size());  // else "truncated readback"
            mtkfw::detect_contents(in, &t);
            check_table(t, in);
        });
    }
    return 0;
}
