// Fuzzes the LP metadata reader (format/lp_metadata.h: geometry, header, tables) and super
// (ops/lp_super.h: backups, extent checks, logical partitions and their Regions), and the
// listing gpt-list --lp writes and part-cut's lookup by name (ops/lp_listing.h).  Checked: every logical partition's Region
// is as long as its extents say and its pieces lie inside super; the first and last bytes of
// each read through the Region.  The input is the start of a super, grown with zeros (a hole)
// to 8 MiB: seeds are lpmake supers of 8 MiB cut after their metadata area.
#include "format/lp_metadata.h"
#include "fuzz_support.h"
#include "ops/lp_listing.h"
#include "ops/lp_super.h"

namespace {

constexpr uint64_t kSuperSize = 8u << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const mtkfw::Bytes bytes(data, size);
    // The format layer alone, on the bytes where a geometry and a slot-0 copy sit.
    fuzz::accepts([&] {
        if (size < mtkfw::lp::kGeometryOffset) return;
        const mtkfw::lp::Geometry g =
            mtkfw::lp::parse_geometry(bytes.subspan(mtkfw::lp::kGeometryOffset), "geometry");
        if (size > mtkfw::lp::kMetadataOffset) {
            mtkfw::lp::parse_metadata(bytes.subspan(mtkfw::lp::kMetadataOffset), g, "metadata");
        }
    });
    fuzz::MemFile file(data, size, std::max<uint64_t>(size, kSuperSize));
    const mtkfw::Input in = mtkfw::Input::open(file.path());
    fuzz::accepts([&] {
        mtkfw::Notices notices;
        const mtkfw::lp::Super super = mtkfw::lp::read_super(in, 0, in.size(), notices);
        FUZZ_CHECK(super.slots.size() == super.geometry.metadata_slot_count);
        FUZZ_CHECK(super.metadata_end() <= super.size);
        for (const mtkfw::lp::LogicalPartition& p : mtkfw::lp::logical_partitions(super)) {
            const mtkfw::Region r = mtkfw::lp::region_of(in, super, p);
            FUZZ_CHECK(r.size() == p.size);
            FUZZ_CHECK(!p.slots.empty());
            for (const mtkfw::Piece& piece : r.pieces()) {
                if (piece.zero) continue;
                FUZZ_CHECK(piece.offset >= super.metadata_end());
                FUZZ_CHECK(piece.offset + piece.length <= super.size);
            }
            uint8_t byte = 0;
            if (r.size() > 0) {
                r.read_at(&byte, 1, 0);
                r.read_at(&byte, 1, r.size() - 1);
            }
        }
        const std::vector<mtkfw::lp::SuperView> views = {mtkfw::lp::view_super(in, 0, in.size(), "super", notices)};
        mtkfw::lp::write_lp_tsv(views);
        mtkfw::lp::write_lp_json(views, "super");
        mtkfw::lp::write_lp_human(views, "super");
    });
    // part-cut's lookup by name on a bare super: a seed's name, or one that is nowhere (one per
    // input, chosen by the last byte: each lookup reads the metadata again).
    static const char* const kNames[] = {"a", "c", "nowhere"};
    const char* name = kNames[size ? data[size - 1] % 3 : 0];
    fuzz::accepts([&] {
        mtkfw::Notices notices;
        const mtkfw::Region r = mtkfw::lp::logical_region(in, name, notices);
        FUZZ_CHECK(r.name() == std::string("super/") + name);
    });
    return 0;
}
