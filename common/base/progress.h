// Progress of long work, as the library reports it: a callback the CLI layer draws (cli/progress_bar.h).
// The library never prints; it only says how far it has got.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

namespace mtkfw {

// `done` bytes of `total` (0: unknown).  Called often, from the thread that started the work;
// an empty function means nobody is watching.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

// The library's side: the total is known when the work starts, the callback may be empty.
class ProgressMeter {
public:
    ProgressMeter(ProgressFn fn, uint64_t total) : fn_(std::move(fn)), total_(total) {}
    void update(uint64_t done) const {
        if (fn_) fn_(done, total_);
    }

private:
    ProgressFn fn_;
    uint64_t total_;
};

}  // namespace mtkfw
