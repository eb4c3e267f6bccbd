// Fuzzes the scatter-gen policy file reader (common/format/scatter_policy.h, --policy FILE) and the
// decisions it makes.  Checked: every plan has an operation, and a downloaded row has a file.
#include "fuzz_support.h"
#include "format/scatter_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    mtkfw::ScatterPolicy policy = mtkfw::ScatterPolicy::builtin();
    if (!fuzz::accepts([&] { policy.load(fuzz::text_of(data, size), "fuzz.policy"); })) return 0;
    for (const char* name : {"lk", "boot", "system", "userdata", "nvram", "proinfo", "flashinfo", "otp", "tee1", "x"}) {
        for (const char* content : {"ext4", "zero", "unknown", "unchecked"}) {
            const mtkfw::PartitionPlan p = policy.plan(name, content);
            FUZZ_CHECK(!p.operation_type.empty() && !p.type.empty());
            FUZZ_CHECK(!p.is_download || (!p.file_name.empty() && p.file_name != "NONE"));
        }
    }
    return 0;
}
