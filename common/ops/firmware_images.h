// A firmware folder's images as a scatter names them (each file once, however many rows name it),
// what to do about the missing ones, and the md5sum/xxhsum-style verdicts of checking them against
// a Checksum.ini or a list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "format/checksum_ini.h"
#include "ops/digest.h"
#include "format/manifest.h"
#include "format/scatter.h"

namespace mtkfw {

// A downloaded row of the scatter and the file it names.
struct ImageRow {
    std::string partition;  // partition_name: the Checksum.ini key
    size_t file = 0;        // index into ScatterImages::files
};

struct ScatterImages {
    std::vector<ImageRow> rows;            // is_download rows with a file, scatter order
    std::vector<std::string> file_names;   // distinct file_name values, first-use order
    std::vector<std::string> paths;        // the same files next to the scatter
};

// The rows of `scatter` (read from `scatter_path`; "-" means the files are in the current
// folder) that SP Flash Tool downloads.  With several storage sections (V2.x), `storage_type`
// picks one, in any case ("ufs" is the UFS section; empty: the first): one line per downloaded
// row of that section, as stock Checksum.ini files have (MODERN.md 4).  Rows whose file_name is empty or NONE are left out.
ScatterImages scatter_images(const Scatter& scatter, const std::string& scatter_path,
                             std::string_view storage_type);

// For messages, per file: "boot.img (boot)", "trustzone.bin (tee1, tee2)".
std::vector<std::string> image_labels(const ScatterImages& images);

// The scatter beside `path` (a Checksum.ini): the one *_Android_scatter.txt or .xml (the names
// SP Flash Tool v5 and v6 require) in its folder, else a usage error asking for it; a folder that cannot be read
// is an I/O Failure naming it.
std::string scatter_beside(const std::string& path);

// Drops the rows whose file is in `missing` (indexes into images.files) and the files.
void drop_files(ScatterImages* images, const std::vector<size_t>& missing);

// Indexes of the paths that do not exist (ENOENT: not found, or a dangling link).
std::vector<size_t> missing_paths(const std::vector<std::string>& paths);

// What to do about files a scatter or a list names that are not there.
enum class MissingFiles {
    fail,      // the caller cannot go on without them
    leave_out, // the caller leaves them out (and says so)
};
// missing_paths(paths), after the policy: with MissingFiles::fail and any missing, throws
// Failure(invalid_input, Remedy::skip_missing) naming `source` and each missing file by `labels`.
std::vector<size_t> find_missing(const std::vector<std::string>& paths, const std::vector<std::string>& labels,
                                 const std::string& source, MissingFiles policy);

// The [CheckSum] lines (and [CheckSum_V2] with `md5`) of `images`, in scatter order;
// `digests[i]` belongs to images.paths[i].  TOOL and Change_ID are the caller's.
ChecksumIni checksum_ini_for(const ScatterImages& images, const std::vector<FileDigest>& digests, bool md5);

// The digest a list of `format` carries.
const std::array<uint8_t, 16>& list_digest(const Digests& digests, ManifestFormat format);
// A list of every hashed file under `names[i]` (default: the path it was read from).
std::vector<ManifestEntry> manifest_for(const std::vector<FileDigest>& digests, ManifestFormat format,
                                        const std::vector<std::string>& names = {});

// One verdict, printed "name: OK" or "name: FAILED (detail)" / "name: FAILED open or read".
struct CheckResult {
    enum class Verdict { ok, failed, unreadable };
    std::string name;
    Verdict verdict = Verdict::failed;
    std::string detail;  // why it failed, when known
    bool ok() const { return verdict == Verdict::ok; }
};
std::string check_line(const CheckResult& result);

// Each row of `images` against `ini`: the V1 value, and the V2 value where `ini` has one.
// A downloaded row with no [CheckSum] line fails, as in SP Flash Tool (it checks against 0).
// `digests[i]` belongs to images.paths[i].
std::vector<CheckResult> check_ini(const ChecksumIni& ini, const ScatterImages& images,
                                   const std::vector<FileDigest>& digests);

// [CheckSum] keys that name no downloaded row of `images` (SP Flash Tool ignores them).
std::vector<const ChecksumV1*> unused_ini_lines(const ChecksumIni& ini, const ScatterImages& images);

// Each entry against the digest of its file (digests[i] belongs to entries[i]).
std::vector<CheckResult> check_manifest(ManifestFormat format, const std::vector<ManifestEntry>& entries,
                                        const std::vector<FileDigest>& digests);

}  // namespace mtkfw
