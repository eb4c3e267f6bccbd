// Progress on stderr for long work: bytes done, rate and ETA, redrawn at most 4 times a second,
// fed by the library's ProgressFn (base/progress.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/progress.h"

namespace mtkfw {

class ProgressBar {
public:
    // A disabled bar hands out an empty callback: the library then skips every update.
    ProgressBar(bool enabled, std::string label);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    ProgressFn callback();
    // The last line, with the final count, when anything was drawn.
    void finish();

private:
    void update(uint64_t done, uint64_t total);
    void draw(bool final);
    bool enabled_;
    std::string label_;
    uint64_t done_ = 0, total_ = 0;  // the last update
    std::chrono::steady_clock::time_point start_, last_;
    bool drawn_ = false;
};

}  // namespace mtkfw
