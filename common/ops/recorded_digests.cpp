#include "ops/recorded_digests.h"

#include <filesystem>
#include <system_error>

#include "base/failure.h"
#include "format/digest_record.h"
#include "io/input.h"
#include "io/slurp.h"

namespace mtkfw {

DigestRecord record_of(const Digests& d, bool md5) {
    DigestRecord r{d.bytes, d.byte_sum, std::nullopt};
    if (md5) r.md5 = d.md5;
    return r;
}

std::string record_path(const std::string& dir, const std::string& file_name) {
    return dir + "/" + file_name + ".digests";
}

std::vector<FileDigest> recorded_digests(const ScatterImages& images, const std::string& dir, bool md5) {
    std::vector<FileDigest> out;
    for (size_t i = 0; i < images.paths.size(); ++i) {
        const std::string path = record_path(dir, images.file_names[i]);
        Input record = Input::open(path);
        const DigestRecord r = parse_digest_record(slurp(record, 4096), record.name());
        // Its size only (stat): the image itself is not opened, let alone read.
        std::error_code error;
        const uint64_t size = std::filesystem::file_size(images.paths[i], error);
        if (error) fail_io(images.paths[i], error.value());
        if (r.bytes != size) {
            fail_input(record.name(), "digests of " + std::to_string(r.bytes) + " bytes, but " + images.paths[i] + " has " +
                                          std::to_string(size) + ": the record is not of this file");
        }
        if (md5 && !r.md5) fail_input(record.name(), "no md5= line (the record was taken without --md5)");
        FileDigest d{images.paths[i], {}, false};
        d.digests.bytes = r.bytes;
        d.digests.byte_sum = r.byte_sum;
        if (r.md5) d.digests.md5 = *r.md5;
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace mtkfw
