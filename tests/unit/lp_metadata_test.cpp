// LP metadata (format/lp_metadata.h) and super (ops/lp_super.h) on supers built here byte by
// byte: the layout of MODERN.md 2.2, SHA-256s computed as liblp writes them.
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "base/evp_digest.h"
#include "check.h"
#include "format/lp_metadata.h"
#include "ops/lp_super.h"

using namespace mtkfw;
using namespace mtkfw::lp;

namespace {

struct Part {
    std::string name, group;
    uint32_t attributes = kAttrReadonly;
    std::vector<Extent> extents;
};

struct Layout {
    uint16_t minor = 2;
    uint32_t max = 4096, slots = 2;
    uint64_t first_sector = 64, size = 256 * 512;
    uint32_t header_flags = kHeaderFlagVirtualAb;
    uint32_t block_devices = 1;
    std::vector<Part> parts = {
        {"system_a", "main", kAttrReadonly, {{32, kTargetLinear, 64, 0}, {16, kTargetLinear, 160, 0}}},
        {"vendor_a", "main", kAttrReadonly, {{32, kTargetLinear, 96, 0}}},
        {"zero_a", "main", 0, {{8, kTargetZero, 0, 0}}},
        {"system_b", "main", kAttrReadonly, {}},
    };
};

void sha256_into(uint8_t* out, const uint8_t* p, size_t n) {
    EvpDigest d(EvpDigest::Kind::sha256);
    d.update(Bytes(p, n));
    const std::vector<uint8_t> sum = d.final();
    std::memcpy(out, sum.data(), 32);
}

void put_name(uint8_t* p, const std::string& name) { std::memcpy(p, name.data(), std::min<size_t>(name.size(), 36)); }

// One metadata copy (header + tables) for `l`.
Buffer metadata_bytes(const Layout& l) {
    std::vector<std::string> groups = {"default"};
    for (const Part& p : l.parts) {
        if (std::find(groups.begin(), groups.end(), p.group) == groups.end()) groups.push_back(p.group);
    }
    size_t n_ext = 0;
    for (const Part& p : l.parts) n_ext += p.extents.size();
    const uint32_t hs = l.minor >= 2 ? 256 : 128;
    const uint32_t part_off = 0, ext_off = part_off + 52 * static_cast<uint32_t>(l.parts.size());
    const uint32_t grp_off = ext_off + 24 * static_cast<uint32_t>(n_ext);
    const uint32_t dev_off = grp_off + 48 * static_cast<uint32_t>(groups.size());
    const uint32_t tables = dev_off + 64 * l.block_devices;
    Buffer b(hs + tables);
    uint8_t* t = b.data() + hs;
    uint32_t ext_index = 0;
    for (size_t i = 0; i < l.parts.size(); ++i) {
        uint8_t* e = t + part_off + 52 * i;
        put_name(e, l.parts[i].name);
        put_le32(e + 36, l.parts[i].attributes);
        put_le32(e + 40, ext_index);
        put_le32(e + 44, static_cast<uint32_t>(l.parts[i].extents.size()));
        put_le32(e + 48, static_cast<uint32_t>(std::find(groups.begin(), groups.end(), l.parts[i].group) - groups.begin()));
        for (const Extent& x : l.parts[i].extents) {
            uint8_t* xe = t + ext_off + 24 * ext_index++;
            put_le64(xe, x.num_sectors);
            put_le32(xe + 8, x.target_type);
            put_le64(xe + 12, x.target_data);
            put_le32(xe + 20, x.target_source);
        }
    }
    for (size_t i = 0; i < groups.size(); ++i) put_name(t + grp_off + 48 * i, groups[i]);
    for (uint32_t i = 0; i < l.block_devices; ++i) {
        uint8_t* d = t + dev_off + 64 * i;
        put_le64(d, l.first_sector);
        put_le32(d + 8, 1 << 20);
        put_le64(d + 16, l.size);
        put_name(d + 24, i ? "vendor" : "super");
    }
    put_le32(b.data(), kHeaderMagic);
    put_le16(b.data() + 4, 10);
    put_le16(b.data() + 6, l.minor);
    put_le32(b.data() + 8, hs);
    put_le32(b.data() + 44, tables);
    sha256_into(b.data() + 48, t, tables);
    const uint32_t descs[4][3] = {{part_off, static_cast<uint32_t>(l.parts.size()), 52},
                                  {ext_off, static_cast<uint32_t>(n_ext), 24},
                                  {grp_off, static_cast<uint32_t>(groups.size()), 48},
                                  {dev_off, l.block_devices, 64}};
    for (int i = 0; i < 4; ++i) {
        for (int k = 0; k < 3; ++k) put_le32(b.data() + 80 + 12 * i + 4 * k, descs[i][k]);
    }
    if (hs == 256) put_le32(b.data() + 128, l.header_flags);
    sha256_into(b.data() + 12, b.data(), hs);
    return b;
}

Buffer geometry_bytes(const Layout& l) {
    Buffer g(4096);
    put_le32(g.data(), kGeometryMagic);
    put_le32(g.data() + 4, 52);
    put_le32(g.data() + 40, l.max);
    put_le32(g.data() + 44, l.slots);
    put_le32(g.data() + 48, 4096);
    sha256_into(g.data() + 8, g.data(), 52);
    return g;
}

// A whole super: data sectors hold their own sector number in every byte (mod 251).
Buffer super_bytes(const Layout& l) {
    Buffer s(l.size);
    for (uint64_t i = l.first_sector * 512; i < l.size; ++i) s[i] = static_cast<uint8_t>((i / 512) % 251);
    const Buffer g = geometry_bytes(l), m = metadata_bytes(l);
    std::memcpy(&s[kGeometryOffset], g.data(), g.size());
    std::memcpy(&s[kBackupGeometryOffset], g.data(), g.size());
    for (uint32_t c = 0; c < 2 * l.slots; ++c) std::memcpy(&s[kMetadataOffset + c * l.max], m.data(), m.size());
    return s;
}

// `bytes` as a seekable Input (a memfd).
class MemInput {
public:
    explicit MemInput(const Buffer& bytes) {
        fd_ = memfd_create("lp", MFD_CLOEXEC);
        if (fd_ < 0 || write(fd_, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) std::abort();
        input_ = std::make_unique<Input>(Input::open("/proc/self/fd/" + std::to_string(fd_)));
    }
    ~MemInput() { ::close(fd_); }
    const Input& in() const { return *input_; }

private:
    int fd_ = -1;
    std::unique_ptr<Input> input_;
};

Super read_buffer(const Buffer& b, Notices* notices = nullptr) {
    MemInput m(b);
    Notices local;
    return read_super(m.in(), 0, b.size(), notices ? *notices : local);
}

void scribble(Buffer& b, uint64_t at) { b[at + 20] ^= 0xFF; }

}  // namespace

TEST(lp_parse_geometry_and_metadata) {
    const Layout l;
    const Geometry g = parse_geometry(geometry_bytes(l), "g");
    CHECK_EQ(g.metadata_max_size, 4096u);
    CHECK_EQ(g.metadata_slot_count, 2u);
    const Metadata m = parse_metadata(metadata_bytes(l), g, "m");
    CHECK_EQ(m.minor_version, 2);
    CHECK_EQ(m.header_size, 256u);
    CHECK_EQ(m.flags, kHeaderFlagVirtualAb);
    CHECK_EQ(m.partitions.size(), size_t{4});
    CHECK_EQ(m.partitions[0].name, std::string("system_a"));
    CHECK_EQ(m.partitions[0].num_extents, 2u);
    CHECK_EQ(m.extents.size(), size_t{4});
    CHECK_EQ(m.groups[1].name, std::string("main"));
    CHECK_EQ(m.block_devices[0].partition_name, std::string("super"));
    Layout v0;
    v0.minor = 0;
    CHECK_EQ(parse_metadata(metadata_bytes(v0), g, "m").header_size, 128u);
}

TEST(lp_geometry_refusals) {
    const Buffer g = geometry_bytes(Layout{});
    CHECK_THROWS(parse_geometry(edited(g, [](Buffer& b) { b[0] = 0; }), "g"), Exit::invalid_input, "magic");
    CHECK_THROWS(parse_geometry(edited(g, [](Buffer& b) { b[44] = 3; }), "g"), Exit::invalid_input, "SHA-256");
    CHECK_THROWS(parse_geometry(Bytes(g.data(), 40), "g"), Exit::invalid_input, "cut short");
    Layout odd;
    odd.max = 1000;
    CHECK_THROWS(parse_geometry(geometry_bytes(odd), "g"), Exit::invalid_input, "metadata_max_size");
    Layout none;
    none.slots = 0;
    CHECK_THROWS(parse_geometry(geometry_bytes(none), "g"), Exit::invalid_input, "slot_count");
}

TEST(lp_metadata_refusals) {
    const Layout l;
    const Geometry g = parse_geometry(geometry_bytes(l), "g");
    const Buffer m = metadata_bytes(l);
    CHECK_THROWS(parse_metadata(edited(m, [](Buffer& b) { b[300] ^= 1; }), g, "m"), Exit::invalid_input, "tables SHA-256");
    CHECK_THROWS(parse_metadata(edited(m, [](Buffer& b) { b[60] ^= 1; }), g, "m"), Exit::invalid_input, "header SHA-256");
    CHECK_THROWS(parse_metadata(edited(m, [](Buffer& b) { put_le16(b.data() + 6, 3); }), g, "m"), Exit::invalid_input,
                 "version 10.3");
    CHECK_THROWS(parse_metadata(edited(m, [](Buffer& b) { put_le32(b.data() + 8, 128); }), g, "m"), Exit::invalid_input,
                 "header_size 128");
    // A lying count with a recomputed header sum: only the bound check catches it.
    const auto lie = [](uint32_t at, uint32_t value) {
        return [=](Buffer& b) {
            put_le32(b.data() + at, value);
            std::memset(b.data() + 12, 0, 32);
            sha256_into(b.data() + 12, b.data(), 256);
        };
    };
    CHECK_THROWS(parse_metadata(edited(m, lie(84, 1000)), g, "m"), Exit::invalid_input, "past tables_size");
    CHECK_THROWS(parse_metadata(edited(m, lie(84, 0x80000000)), g, "m"), Exit::invalid_input, "past tables_size");
    CHECK_THROWS(parse_metadata(edited(m, lie(80, 0xFFFFFFF0)), g, "m"), Exit::invalid_input, "past tables_size");
    CHECK_THROWS(parse_metadata(edited(m, lie(88, 40)), g, "m"), Exit::invalid_input, "entry size 40");
    CHECK_THROWS(parse_metadata(edited(m, lie(44, 5000)), g, "m"), Exit::invalid_input, "tables_size 5000");
    CHECK_THROWS(parse_metadata(Bytes(m.data(), 200), g, "m"), Exit::invalid_input, "cut short");

    Layout bad_extent = l;
    bad_extent.parts[1].extents[0].target_source = 1;
    CHECK_THROWS(parse_metadata(metadata_bytes(bad_extent), g, "m"), Exit::invalid_input, "block device 1");
    Layout bad_type = l;
    bad_type.parts[1].extents[0].target_type = 7;
    CHECK_THROWS(parse_metadata(metadata_bytes(bad_type), g, "m"), Exit::invalid_input, "target type 7");
    Layout early = l;
    early.first_sector = 8;
    CHECK_THROWS(parse_metadata(metadata_bytes(early), g, "m"), Exit::invalid_input, "inside the metadata area");
}

TEST(lp_read_super_and_regions) {
    const Layout l;
    const Buffer b = super_bytes(l);
    MemInput mem(b);
    Notices notices;
    const Super s = read_super(mem.in(), 0, b.size(), notices);
    CHECK(notices.empty());
    CHECK(looks_like_super(mem.in(), 0, b.size()));
    CHECK_EQ(s.slots.size(), size_t{2});
    CHECK(!s.geometry_from_backup);
    CHECK_EQ(s.metadata_end(), uint64_t{kMetadataOffset + 4 * 4096});
    CHECK_EQ(s.first_logical_byte(), uint64_t{64 * 512});
    const std::vector<LogicalPartition> parts = logical_partitions(s);
    CHECK_EQ(parts.size(), size_t{4});  // the same in both slots: listed once each
    CHECK_EQ(parts[0].name, std::string("system_a"));
    CHECK_EQ(parts[0].group, std::string("main"));
    CHECK_EQ(parts[0].size, uint64_t{48 * 512});
    CHECK_EQ(parts[0].slots.size(), size_t{2});
    CHECK_EQ(parts[3].size, uint64_t{0});

    const Region r = region_of(mem.in(), s, parts[0]);
    CHECK_EQ(r.name(), std::string("super/system_a"));
    CHECK_EQ(r.pieces().size(), size_t{2});
    uint8_t byte = 0;
    r.read_at(&byte, 1, 0);
    CHECK_EQ(byte, uint8_t{64});
    r.read_at(&byte, 1, 32 * 512);  // the second extent starts at sector 160
    CHECK_EQ(byte, uint8_t{160});
    const Region z = region_of(mem.in(), s, parts[2]);
    CHECK(z.pieces()[0].zero);
    CHECK_EQ(z.size(), uint64_t{8 * 512});
}

TEST(lp_super_at_an_offset) {
    const Buffer inner = super_bytes(Layout{});
    Buffer dump(8192, 0xAA);
    dump.insert(dump.end(), inner.begin(), inner.end());
    MemInput mem(dump);
    Notices notices;
    const Super s = read_super(mem.in(), 8192, inner.size(), notices);
    const Region r = region_of(mem.in(), s, logical_partitions(s)[1]);
    CHECK_EQ(r.offset(), uint64_t{8192 + 96 * 512});
    CHECK(!looks_like_super(mem.in(), 0, dump.size()));
    CHECK(looks_like_super(mem.in(), 8192, inner.size()));
}

TEST(lp_backups_used) {
    const Layout l;
    Buffer b = super_bytes(l);
    scribble(b, kGeometryOffset);
    scribble(b, kMetadataOffset);  // slot 0 primary
    Notices notices;
    const Super s = read_buffer(b, &notices);
    CHECK(s.geometry_from_backup);
    CHECK(s.slot_from_backup[0]);
    CHECK(!s.slot_from_backup[1]);
    CHECK_EQ(notices.size(), size_t{2});
    CHECK(notices[0].text.find("primary LP geometry unusable") != std::string::npos);
    CHECK(notices[1].text.find("slot 0") != std::string::npos);

    Buffer both = super_bytes(l);
    scribble(both, kMetadataOffset + l.max);                    // slot 1 primary
    scribble(both, kMetadataOffset + (l.slots + 1) * l.max);    // slot 1 backup
    try {
        read_buffer(both);
        CHECK(false);
    } catch (const Failure& f) {
        CHECK_EQ(f.remedy(), Remedy::copy_every_block);
        CHECK(std::string(f.what()).find("both copies of the LP metadata of slot 1") != std::string::npos);
    }
    Buffer no_geo = super_bytes(l);
    scribble(no_geo, kGeometryOffset);
    scribble(no_geo, kBackupGeometryOffset);
    CHECK_THROWS(read_buffer(no_geo), Exit::invalid_input, "both copies of the LP geometry");
}

TEST(lp_super_refusals) {
    Layout past;
    past.parts[1].extents[0] = {200, kTargetLinear, 96, 0};
    CHECK_THROWS(read_buffer(super_bytes(past)), Exit::invalid_input, "outside super's data area");
    Layout overlap;
    overlap.parts[1].extents[0] = {32, kTargetLinear, 80, 0};
    CHECK_THROWS(read_buffer(super_bytes(overlap)), Exit::invalid_input, "overlap at sector 80");
    Layout retrofit;
    retrofit.block_devices = 2;
    CHECK_THROWS(read_buffer(super_bytes(retrofit)), Exit::invalid_input, "retrofit");
    Buffer sparse = super_bytes(Layout{});
    put_le32(sparse.data(), 0xED26FF3A);
    CHECK_THROWS(read_buffer(sparse), Exit::invalid_input, "an Android sparse image, not a raw super");
    const Buffer whole = super_bytes(Layout{});
    MemInput mem(whole);
    Notices n;
    CHECK_THROWS(read_super(mem.in(), 0, whole.size() + 1, n), Exit::invalid_input, "past the end");
}

TEST(lp_unknown_flags_are_notices) {
    Layout l;
    l.header_flags = 0x11;
    l.parts[0].attributes = 0x40 | kAttrReadonly;
    Notices notices;
    read_buffer(super_bytes(l), &notices);
    CHECK_EQ(notices.size(), size_t{2});  // header and attributes, the slots saying each merged
    CHECK(notices[0].text.find("slots 0,1: header has unknown flag bits 0x10") != std::string::npos);
    CHECK(notices[1].text.find("system_a has unknown flag bits 0x40") != std::string::npos);
}

TEST(lp_slots_differ) {
    Layout l;
    Buffer b = super_bytes(l);
    Layout moved = l;
    moved.parts[1].extents[0] = {32, kTargetLinear, 200, 0};
    const Buffer m = metadata_bytes(moved);
    for (uint32_t c : {1u, 3u}) std::memcpy(&b[kMetadataOffset + c * l.max], m.data(), m.size());
    const std::vector<LogicalPartition> parts = logical_partitions(read_buffer(b));
    CHECK_EQ(parts.size(), size_t{5});
    CHECK_EQ(parts[1].name, std::string("vendor_a"));
    CHECK_EQ(parts[1].slots, std::vector<uint32_t>{0});
    CHECK_EQ(parts[4].name, std::string("vendor_a"));
    CHECK_EQ(parts[4].slots, std::vector<uint32_t>{1});
}
