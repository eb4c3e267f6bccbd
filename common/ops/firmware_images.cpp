#include "ops/firmware_images.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>

#include "base/failure.h"
#include "base/text.h"

namespace mtkfw {
namespace {

using Verdict = CheckResult::Verdict;

CheckResult unreadable(const std::string& name) { return {name, Verdict::unreadable, ""}; }
CheckResult failed(const std::string& name, const std::string& why) { return {name, Verdict::failed, why}; }

}  // namespace

ScatterImages scatter_images(const Scatter& scatter, const std::string& scatter_path,
                             std::string_view storage_type) {
    // The section's name as the scatter spells it (EMMC, UFS); the dumps' name (emmc, ufs) fits.
    std::string storage(storage_type);
    if (storage.empty() && scatter.storages.size() > 1) storage = scatter.storages.front().storage;
    const auto section = std::find_if(scatter.storages.begin(), scatter.storages.end(), [&](const ScatterStorage& s) {
        return equal_ignoring_case(s.storage, storage);
    });
    if (!storage.empty() && section == scatter.storages.end()) {
        fail_usage("storage type " + storage, "the scatter has no section of this storage type");
    }
    if (!storage.empty()) storage = section->storage;
    const std::filesystem::path folder =
        scatter_path == "-" ? std::filesystem::path() : std::filesystem::path(scatter_path).parent_path();
    ScatterImages images;
    std::map<std::string, size_t> file_index;
    // V1.x rows carry no storage_type: every row belongs to the one storage.
    const bool sections = scatter.storages.size() > 1;
    for (const ScatterPartition* p : scatter.downloads(sections ? std::string_view(storage) : std::string_view())) {
        if (p->file_name.empty() || p->file_name == "NONE") continue;
        auto [it, added] = file_index.emplace(p->file_name, images.file_names.size());
        if (added) {
            images.file_names.push_back(p->file_name);
            images.paths.push_back((folder / p->file_name).string());
        }
        images.rows.push_back({p->name, it->second});
    }
    return images;
}

std::vector<std::string> image_labels(const ScatterImages& images) {
    std::vector<std::string> labels(images.paths);
    std::vector<std::string> partitions(images.paths.size());
    for (const ImageRow& r : images.rows) partitions[r.file] += (partitions[r.file].empty() ? "" : ", ") + r.partition;
    for (size_t i = 0; i < labels.size(); ++i) labels[i] += " (" + partitions[i] + ")";
    return labels;
}

std::string scatter_beside(const std::string& path) {
    const auto folder = std::filesystem::path(path).parent_path();
    const std::filesystem::path where = folder.empty() ? "." : folder;
    std::vector<std::string> found;
    std::error_code ec;
    std::filesystem::directory_iterator entries(where, ec);
    for (; !ec && entries != std::filesystem::directory_iterator(); entries.increment(ec)) {
        const std::string name = entries->path().filename().string();
        // .xml: the scatter of an SP Flash Tool v6 folder (MODERN.md 1.6).
        if (name.ends_with("_Android_scatter.txt") || name.ends_with("_Android_scatter.xml")) found.push_back(folder.empty() ? name : entries->path().string());
    }
    if (ec) fail_io(where.string(), ec.value());
    if (found.size() != 1) {
        fail_usage(path, found.empty() ? "no *_Android_scatter.txt or .xml beside it: name the SCATTER file"
                                       : "several *_Android_scatter.txt or .xml beside it: name the SCATTER file");
    }
    return found.front();
}

void drop_files(ScatterImages* images, const std::vector<size_t>& missing) {
    ScatterImages kept;
    std::vector<size_t> renumber(images->paths.size(), SIZE_MAX);
    for (size_t i = 0; i < images->paths.size(); ++i) {
        if (std::find(missing.begin(), missing.end(), i) != missing.end()) continue;
        renumber[i] = kept.paths.size();
        kept.paths.push_back(images->paths[i]);
        kept.file_names.push_back(images->file_names[i]);
    }
    for (const ImageRow& r : images->rows) {
        if (renumber[r.file] != SIZE_MAX) kept.rows.push_back({r.partition, renumber[r.file]});
    }
    *images = std::move(kept);
}

std::vector<size_t> missing_paths(const std::vector<std::string>& paths) {
    std::vector<size_t> missing;
    for (size_t i = 0; i < paths.size(); ++i) {
        struct stat st;
        if (paths[i] != "-" && ::stat(paths[i].c_str(), &st) != 0 && errno == ENOENT) missing.push_back(i);
    }
    return missing;
}

std::vector<size_t> find_missing(const std::vector<std::string>& paths, const std::vector<std::string>& labels,
                                 const std::string& source, MissingFiles policy) {
    const std::vector<size_t> gone = missing_paths(paths);
    if (!gone.empty() && policy == MissingFiles::fail) {
        std::string list;
        for (size_t i : gone) list += (list.empty() ? "" : ", ") + labels[i];
        fail_input(source, std::to_string(gone.size()) + " file(s) missing: " + list, Remedy::skip_missing);
    }
    return gone;
}

ChecksumIni checksum_ini_for(const ScatterImages& images, const std::vector<FileDigest>& digests, bool md5) {
    ChecksumIni ini;
    for (const ImageRow& row : images.rows) {
        ini.v1.push_back({row.partition, digests[row.file].digests.byte_sum, 0});
        if (md5) ini.v2.push_back({row.partition, digests[row.file].digests.md5, 0});
    }
    return ini;
}

const std::array<uint8_t, 16>& list_digest(const Digests& digests, ManifestFormat format) {
    return format == ManifestFormat::md5sum ? digests.md5 : digests.xxh128;
}

std::vector<ManifestEntry> manifest_for(const std::vector<FileDigest>& digests, ManifestFormat format,
                                        const std::vector<std::string>& names) {
    std::vector<ManifestEntry> entries;
    for (size_t i = 0; i < digests.size(); ++i) {
        entries.push_back({names.empty() ? digests[i].path : names[i], list_digest(digests[i].digests, format), 0});
    }
    return entries;
}

std::string check_line(const CheckResult& result) {
    const std::string name = escape_controls(result.name);
    if (result.ok()) return name + ": OK\n";
    if (result.verdict == Verdict::unreadable) return name + ": FAILED open or read\n";
    return name + ": FAILED" + (result.detail.empty() ? "" : " (" + result.detail + ")") + "\n";
}

std::vector<CheckResult> check_ini(const ChecksumIni& ini, const ScatterImages& images,
                                   const std::vector<FileDigest>& digests) {
    std::vector<CheckResult> results;
    for (const ImageRow& row : images.rows) {
        const FileDigest& d = digests[row.file];
        const auto v1 = std::find_if(ini.v1.begin(), ini.v1.end(), [&](const ChecksumV1& e) { return e.name == row.partition; });
        const auto v2 = std::find_if(ini.v2.begin(), ini.v2.end(), [&](const ChecksumV2& e) { return e.name == row.partition; });
        if (v1 == ini.v1.end()) {
            results.push_back(failed(row.partition, "no line in [CheckSum]: SP Flash Tool checks it against 0"));
        } else if (d.unreadable) {
            results.push_back(unreadable(row.partition));
        } else if (v1->sum != d.digests.byte_sum) {
            results.push_back(failed(row.partition, "expected " + format_v1(v1->sum) + ", got " + format_v1(d.digests.byte_sum)));
        } else if (v2 != ini.v2.end() && v2->md5 != d.digests.md5) {
            results.push_back(failed(row.partition, "MD5 expected " + format_v2(v2->md5) + ", got " + format_v2(d.digests.md5)));
        } else {
            results.push_back({row.partition, Verdict::ok, ""});
        }
    }
    return results;
}

std::vector<const ChecksumV1*> unused_ini_lines(const ChecksumIni& ini, const ScatterImages& images) {
    std::vector<const ChecksumV1*> unused;
    for (const ChecksumV1& e : ini.v1) {
        if (std::none_of(images.rows.begin(), images.rows.end(), [&](const ImageRow& r) { return r.partition == e.name; })) {
            unused.push_back(&e);
        }
    }
    return unused;
}

std::vector<CheckResult> check_manifest(ManifestFormat format, const std::vector<ManifestEntry>& entries,
                                        const std::vector<FileDigest>& digests) {
    std::vector<CheckResult> results;
    for (size_t i = 0; i < entries.size(); ++i) {
        const FileDigest& d = digests[i];
        if (d.unreadable) {
            results.push_back(unreadable(entries[i].name));
            continue;
        }
        const bool same = list_digest(d.digests, format) == entries[i].digest;
        results.push_back({entries[i].name, same ? Verdict::ok : Verdict::failed, ""});
    }
    return results;
}

}  // namespace mtkfw
