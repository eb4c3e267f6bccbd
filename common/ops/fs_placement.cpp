#include "ops/fs_placement.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "format/table.h"
#include "ops/ext4_volume.h"
#include "ops/f2fs_map.h"
#include "ops/gpt_reader.h"
#include "ops/lp_super.h"

namespace mtkfw {
namespace {

// The GPT partition that starts at byte `offset` of `in`, when `in` is a dump whose GPT says so.
std::optional<PartitionRow> partition_at(Input& in, uint64_t offset) {
    if (!in.seekable()) return std::nullopt;  // reading the GPT would use up the pipe
    try {
        GptReadOptions options;
        options.allow_truncated = true;
        Notices ignored;  // gpt-list's business
        for (const PartitionRow& row : read_gpt(in, options, ignored).rows) {
            if (row.start == offset) return row;
        }
    } catch (const Failure&) {
        // no GPT: a file system image, or a dump too damaged to say
    }
    return std::nullopt;
}

// "--size 50331648, the length of partition system in its GPT", or where to find the length.
std::string size_to_give(Input& in, uint64_t offset) {
    if (const auto row = partition_at(in, offset)) {
        return "--size " + std::to_string(row->size) + ", the length of partition " + row->name + " in its GPT";
    }
    return "--size BYTES, the partition's length in bytes (the size column of gpt-list --tsv)";
}

}  // namespace

void check_fs_placement(Input& in, const FsPlacement& where, Notices& notices) {
    const std::string at = "--offset " + std::to_string(where.offset);
    if (!in.seekable()) {
        if (!where.size) {
            fail_usage(at, "from a pipe the end of the input is not known before the image is written, so the "
                           "image could cover the partitions after the file system too; give " +
                               size_to_give(in, where.offset));
        }
        return;
    }
    if (where.offset > in.size()) return;
    const uint64_t rest = in.size() - where.offset;
    if (where.size > rest) return;  // truncated: said by the encoder, in its order of checks
    uint64_t fs_bytes = 0;
    std::string what = "the file system";
    std::string tail = "as DONT_CARE (a flasher leaves them as they are)";  // how the encoder writes the bytes past it
    try {
        if (lp::looks_like_super(in, where.offset, where.size.value_or(rest))) {
            // A super: as long as its LP block device says.
            Notices ignored;  // the encoder reads it again and says them
            fs_bytes = lp::read_super(in, where.offset, where.size.value_or(rest), ignored)
                           .slots.at(0).block_devices.at(0).size;
            what = "the super partition (its LP metadata)";
        } else if (f2fs::looks_like_f2fs(in, where.offset, where.size.value_or(rest))) {
            std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(where.size.value_or(rest), 2 * f2fs::kBlockSize)));
            in.read_at(head.data(), head.size(), where.offset);
            Notices ignored;  // the encoder reads it again and says them
            fs_bytes = f2fs::pick_superblock(head, in.name(), ignored).block_count * f2fs::kBlockSize;
            what = "the f2fs";
            tail = "kept (RAW or FILL: a crypto footer may live there)";
        } else {
            const ext4::Volume volume = ext4::Volume::open(in, where.offset, where.size.value_or(rest));
            fs_bytes = volume.super().blocks_count * volume.super().block_size;
        }
    } catch (const Failure&) {
        return;  // no (sound) file system there: the encoder says why
    } catch (const std::out_of_range&) {
        return;  // no slot or block device: read_super refuses that first
    }
    if (!where.size && fs_bytes < rest) {
        fail_usage(at, what + " there is " + std::to_string(fs_bytes) + " bytes, but without --size the "
                       "image would cover all " + std::to_string(rest) + " bytes to the end of " + in.name() +
                       " (the partitions after it too); give " + size_to_give(in, where.offset));
    }
    if (!where.size || *where.size <= fs_bytes) return;
    const auto row = partition_at(in, where.offset);
    if (row && row->size == *where.size) return;
    const std::string size = std::to_string(*where.size), extra = std::to_string(*where.size - fs_bytes);
    std::string partition = "; if the partition is shorter than " + size + " bytes, the image is larger than the "
                            "partition (its length: the size column of gpt-list --tsv)";
    if (row) {
        partition = "; partition " + row->name + " is " + std::to_string(row->size) + " bytes in the GPT" +
                    (row->size < *where.size ? ": the image is larger than the partition" : "");
    }
    notices.push_back({Notice::Level::warning,
                       "--size " + size + " is " + extra + " bytes more than " + what + " at " + at + " (" +
                           std::to_string(fs_bytes) + " bytes): the image covers all " + size + " bytes, the " + extra +
                           " past the file system " + tail + partition});
}

}  // namespace mtkfw
