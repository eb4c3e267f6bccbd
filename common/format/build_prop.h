// Android property files (build.prop, default.prop): one "key=value" per line, LF or CRLF.
// Lines that are not "key=..." (comments, blank lines, other keys) are skipped; the first line
// with the key wins.  Read by the platform detection (ops/platform.h) out of the system image.
#pragma once

#include <string>
#include <string_view>

namespace mtkfw::build_prop {

// The value of `key` in `props`, or "" when absent.
std::string value(std::string_view props, std::string_view key);

}  // namespace mtkfw::build_prop
