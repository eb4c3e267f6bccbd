// Progress on stderr for long work: bytes done, rate and ETA, redrawn at most 4 times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mtkfw {

class Progress {
public:
    // Disabled progress costs one branch per update().
    Progress(bool enabled, std::string label, uint64_t total_bytes);
    ~Progress();
    void update(uint64_t done_bytes);
    void finish();

private:
    void draw(uint64_t done, bool final);
    bool enabled_;
    std::string label_;
    uint64_t total_;
    uint64_t done_ = 0;  // last update(), for finish() when the total is unknown
    std::chrono::steady_clock::time_point start_, last_;
    bool drawn_ = false;
};

// "1.5 GiB", "512 KiB", "17 B": for messages and reports.
std::string human_bytes(uint64_t bytes);

}  // namespace mtkfw
