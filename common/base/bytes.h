// Little-endian fields out of byte spans, bounds-checked by the caller's span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace mtkfw {

using Bytes = std::span<const uint8_t>;

inline uint16_t le16(Bytes b, size_t at) { return static_cast<uint16_t>(b[at] | b[at + 1] << 8); }
inline uint32_t le32(Bytes b, size_t at) {
    return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 |
           static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}
inline uint64_t le64(Bytes b, size_t at) {
    return static_cast<uint64_t>(le32(b, at)) | static_cast<uint64_t>(le32(b, at + 4)) << 32;
}
inline void put_le16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v);
    p[1] = static_cast<uint8_t>(v >> 8);
}
inline void put_le32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void put_le64(uint8_t* p, uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
// True when `b` holds `magic` at `at` (and is long enough to).
inline bool has_magic(Bytes b, size_t at, std::string_view magic) {
    // Not at + magic.size(): a huge `at` would wrap that sum to a small number.
    return at <= b.size() && magic.size() <= b.size() - at && std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}
// True when every byte of `b` is `value` (true for an empty span).  Word at a time: random data
// fails on the first word, so only uniform runs are read whole.
inline bool all_equal(Bytes b, uint8_t value) {
    const uint64_t pattern = 0x0101010101010101ULL * value;
    size_t i = 0;
    for (uint64_t w; i + sizeof w <= b.size(); i += sizeof w) {
        std::memcpy(&w, b.data() + i, sizeof w);
        if (w != pattern) return false;
    }
    for (; i < b.size(); ++i) {
        if (b[i] != value) return false;
    }
    return true;
}
// A NUL-padded ASCII field as a string (stops at the first NUL).
inline std::string ascii_field(Bytes b, size_t at, size_t width) {
    std::string s;
    for (size_t i = at; i < at + width && i < b.size() && b[i] != 0; ++i) s += static_cast<char>(b[i]);
    return s;
}

}  // namespace mtkfw
