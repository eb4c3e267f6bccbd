#include "io/progress.h"

#include <cstdio>

namespace mtkfw {

std::string human_bytes(uint64_t bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 6) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

Progress::Progress(bool enabled, std::string label, uint64_t total_bytes)
    : enabled_(enabled), label_(std::move(label)), total_(total_bytes),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() {
    if (drawn_) std::fputs("\n", stderr);
}

void Progress::update(uint64_t done) {
    if (!enabled_) return;
    done_ = done;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    draw(done, false);
}

void Progress::finish() {
    if (enabled_ && drawn_) {
        draw(total_ ? total_ : done_, true);  // an unknown total: the last count
        std::fputs("\n", stderr);
        drawn_ = false;
    }
}

void Progress::draw(uint64_t done, bool final) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = secs > 0 ? done / secs : 0;
    std::string line = "\r" + label_ + ": " + human_bytes(done);
    if (total_ > 0) {
        char pct[16];
        std::snprintf(pct, sizeof pct, " (%3.0f%%)", 100.0 * done / total_);
        line += " of " + human_bytes(total_) + pct;
    }
    line += ", " + human_bytes(static_cast<uint64_t>(rate)) + "/s";
    if (!final && total_ > done && rate > 0) {
        const unsigned long eta = static_cast<unsigned long>((total_ - done) / rate);
        char buf[32];
        std::snprintf(buf, sizeof buf, ", ETA %lu:%02lu", eta / 60, eta % 60);
        line += buf;
    }
    line += "   ";
    std::fputs(line.c_str(), stderr);
    drawn_ = true;
}

}  // namespace mtkfw
