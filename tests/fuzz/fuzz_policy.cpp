// Fuzzes the scatter-gen policy file reader (common/format/scatter_policy.h, --policy FILE) and the
// decisions it makes over every generation's stock tables, with both file-name modes.  Checked:
// every plan has an operation, a downloaded row has a file, a _b row of stock names is not
// downloaded unless a rule names it, a reserved row is never downloaded.
#include "fuzz_support.h"
#include "format/scatter_generation.h"
#include "format/scatter_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    for (const mtkfw::ScatterGeneration& g : mtkfw::scatter_generations()) {
        for (mtkfw::FileNames names : {mtkfw::FileNames::partition, mtkfw::FileNames::stock}) {
            mtkfw::ScatterPolicy policy = mtkfw::ScatterPolicy::for_generation(g);
            policy.name_files(names);
            if (!fuzz::accepts([&] { policy.load(fuzz::text_of(data, size), "fuzz.policy"); })) return 0;
            for (const char* name : {"lk", "boot", "boot_b", "lk_a", "system", "userdata", "nvram", "proinfo",
                                     "flashinfo", "otp", "tee1", "cam_vpu9", "x", "x_b"}) {
                for (const char* content : {"ext4", "zero", "unknown", "unchecked"}) {
                    const mtkfw::PartitionPlan p = policy.plan(name, content);
                    FUZZ_CHECK(!p.operation_type.empty() && !p.type.empty());
                    FUZZ_CHECK(!p.is_download || (!p.file_name.empty() && p.file_name != "NONE"));
                    FUZZ_CHECK(!(p.is_download && p.reserved()));
                }
            }
        }
    }
    return 0;
}
