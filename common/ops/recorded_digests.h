// Digests of a firmware folder's images taken from digest records (format/digest_record.h)
// instead of reading the images: readback2fw's proof reads each image once, from the pipe of
// fw-checksum --record --copy, which keeps what Checksum.ini needs of the bytes it hands on.
#pragma once

#include <string>
#include <vector>

#include "format/digest_record.h"
#include "ops/digest.h"
#include "ops/firmware_images.h"

namespace mtkfw {

// What a record keeps of `d`: bytes and byte sum, and the MD5 when `md5` (it was computed).
DigestRecord record_of(const Digests& d, bool md5);

// The record of `file_name` in `dir`: DIR/FILE_NAME.digests.
std::string record_path(const std::string& dir, const std::string& file_name);

// For each of images.paths (in order), the digests its record in `dir` holds.  Throws Failure
// naming the record when it is missing or malformed, when its byte count is not the image's size
// (the record was taken of other bytes), or when `md5` is asked for and it has none.
std::vector<FileDigest> recorded_digests(const ScatterImages& images, const std::string& dir, bool md5);

}  // namespace mtkfw
