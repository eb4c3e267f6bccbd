#include "format/build_prop.h"

#include "base/lines.h"

namespace mtkfw::build_prop {

std::string value(std::string_view props, std::string_view key) {
    Lines lines(props, "build.prop");
    for (std::string_view line; lines.next(&line);) {
        if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == '=') {
            return std::string(line.substr(key.size() + 1));
        }
    }
    return "";
}

}  // namespace mtkfw::build_prop
