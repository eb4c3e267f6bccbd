#include "cli/progress_bar.h"

#include <cstdio>

#include "base/text.h"

namespace mtkfw {

ProgressBar::ProgressBar(bool enabled, std::string label)
    : enabled_(enabled), label_(std::move(label)), start_(std::chrono::steady_clock::now()), last_(start_) {}

ProgressBar::~ProgressBar() {
    if (drawn_) std::fputs("\n", stderr);
}

ProgressFn ProgressBar::callback() {
    if (!enabled_) return {};
    return [this](uint64_t done, uint64_t total) { update(done, total); };
}

void ProgressBar::update(uint64_t done, uint64_t total) {
    done_ = done;
    total_ = total;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    draw(false);
}

void ProgressBar::finish() {
    if (enabled_ && drawn_) {
        if (total_) done_ = total_;  // an unknown total: the last count
        draw(true);
        std::fputs("\n", stderr);
        drawn_ = false;
    }
}

void ProgressBar::draw(bool final) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = secs > 0 ? done_ / secs : 0;
    std::string line = "\r" + label_ + ": " + human_bytes(done_);
    if (total_ > 0) {
        char pct[16];
        std::snprintf(pct, sizeof pct, " (%3.0f%%)", 100.0 * done_ / total_);
        line += " of " + human_bytes(total_) + pct;
    }
    line += ", " + human_bytes(static_cast<uint64_t>(rate)) + "/s";
    if (!final && total_ > done_ && rate > 0) {
        const unsigned long eta = static_cast<unsigned long>((total_ - done_) / rate);
        char buf[32];
        std::snprintf(buf, sizeof buf, ", ETA %lu:%02lu", eta / 60, eta % 60);
        line += buf;
    }
    line += "   ";
    std::fputs(line.c_str(), stderr);
    drawn_ = true;
}

}  // namespace mtkfw
