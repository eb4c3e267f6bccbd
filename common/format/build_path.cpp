#include "format/build_path.h"

#include <cctype>
#include <string_view>

namespace mtkfw {
namespace {

constexpr std::string_view kFolder = "/preloader/platform/";
constexpr size_t kNameBytes = 6;  // "mt" + 4 digits, then '/'

// The upper-cased name when `s` (kNameBytes + 1 bytes) is "mtNNNN/", else "".
std::string platform_name(std::string_view s) {
    if (s.substr(0, 2) != "mt" || s[kNameBytes] != '/') return "";
    for (size_t i = 2; i < kNameBytes; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return "";
    }
    return "MT" + std::string(s.substr(2, kNameBytes - 2));
}

}  // namespace

void BuildPathScan::update(Bytes piece) {
    pending_.append(reinterpret_cast<const char*>(piece.data()), piece.size());
    const std::string_view buf(pending_);
    constexpr size_t kNeed = kFolder.size() + kNameBytes + 1;
    size_t keep_from = buf.size() > kNeed ? buf.size() - kNeed + 1 : 0;
    for (size_t at = buf.find(kFolder); at != std::string_view::npos; at = buf.find(kFolder, at + 1)) {
        if (buf.size() - at < kNeed) {  // cut by the end of this piece: judged with the next one
            keep_from = std::min(keep_from, at);
            break;
        }
        if (std::string name = platform_name(buf.substr(at + kFolder.size(), kNameBytes + 1)); !name.empty()) {
            names_.insert(std::move(name));
        }
    }
    // A path starting before keep_from was judged whole; one starting after it is kept.
    pending_.erase(0, keep_from);
}

std::optional<std::string> BuildPathScan::platform() const {
    if (names_.size() != 1) return std::nullopt;
    return *names_.begin();
}

}  // namespace mtkfw
