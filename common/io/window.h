// A read-only view of a byte range of an input: mapped when the input is a regular file whose
// range is already in the page cache (no copy), read into a buffer otherwise (cold ranges,
// pipes, devices that refuse mmap).
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "io/input.h"

namespace mtkfw {

class Window {
public:
    Window() = default;
    ~Window() { unmap(); }
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    // Bytes [offset, offset + n) of `in` (positional; a truncation Failure past its end).
    Bytes at(const Input& in, uint64_t offset, size_t n);
    // The next `n` bytes of `in`'s forward reading, consumed; fewer only where the input ends
    // (the caller says what that means).
    Bytes next(Input& in, size_t n);

private:
    bool map(const Input& in, uint64_t offset, size_t n);
    void unmap();

    std::vector<uint8_t> buffer_;  // the bytes of a range that cannot be mapped; grows as needed
    std::vector<unsigned char> resident_;  // mincore's answer, one byte per page
    void* map_ = nullptr;
    size_t map_len_ = 0;
    Bytes view_;
};

}  // namespace mtkfw
