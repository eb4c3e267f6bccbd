#include "ops/scatter.h"

#include "io/input.h"
#include "io/slurp.h"

namespace mtkfw {

Scatter read_scatter(const std::string& path) {
    Input in = Input::open(path);
    return parse_scatter(slurp(in, 16 << 20), in.name());
}

}  // namespace mtkfw
