// format/fstab.h: the fields of an fstab line, the fs_mgr flags, by-name devices and the key of
// userdata, on lines as MediaTek's vendor fstabs write them (fstab.mt6765 of the Redmi 9A
// device trees, an Android 5 MT6752 FDE line).
#include <string>

#include "check.h"
#include "format/fstab.h"

namespace fstab = mtkfw::fstab;

namespace {
// Android 11 MT6765 (Redmi 9A): md_udc at /metadata, metadata encryption on /data.
const std::string kMt6765 =
    "# Android fstab file.\r\n"
    "system /system ext4 ro wait,avb=vbmeta_system,logical,first_stage_mount\r\n"
    "\r\n"
    "/dev/block/platform/bootdevice/by-name/md_udc /metadata ext4 noatime,nosuid,nodev,discard "
    "wait,check,formattable,first_stage_mount\r\n"
    "/dev/block/platform/bootdevice/by-name/userdata\t/data  f2fs noatime,nosuid,inlinecrypt "
    "latemount,wait,check,quota,reservedsize=128M,formattable,resize,"
    "fileencryption=aes-256-xts:aes-256-cts:v2+inlinecrypt_optimized,"
    "keydirectory=/metadata/vold/metadata_encryption,checkpoint=fs\r\n";
}  // namespace

TEST(fstab_reads_fields_and_flags_crlf_tabs_comments) {
    const auto e = fstab::parse(kMt6765);
    CHECK_EQ(e.size(), size_t{3});
    CHECK_EQ(e[0].device, std::string("system"));
    CHECK_EQ(e[2].mount_point, std::string("/data"));
    CHECK_EQ(e[2].type, std::string("f2fs"));
    CHECK(e[2].has("latemount"));
    CHECK(!e[2].has("late"));
    // Only the first '=' splits: the value keeps its ':' and '+'.
    CHECK_EQ(e[2].value("fileencryption"), std::string("aes-256-xts:aes-256-cts:v2+inlinecrypt_optimized"));
    CHECK_EQ(e[2].value("checkpoint"), std::string("fs"));
    CHECK_EQ(e[2].value("wait"), std::string());
}

TEST(fstab_skips_short_lines_and_takes_four_fields) {
    const auto e = fstab::parse("/dev/a /a ext4\n/dev/b /b ext4 defaults\n  # /dev/c /c ext4 ro wait\n");
    CHECK_EQ(e.size(), size_t{1});
    CHECK_EQ(e[0].device, std::string("/dev/b"));
    CHECK(e[0].flags.empty());
    CHECK(fstab::mounted_at(e, "/a") == nullptr);
}

TEST(fstab_by_name_partition) {
    CHECK_EQ(fstab::by_name_partition("/dev/block/by-name/metadata"), std::string("metadata"));
    CHECK_EQ(fstab::by_name_partition("/dev/block/platform/bootdevice/by-name/md_udc"), std::string("md_udc"));
    CHECK_EQ(fstab::by_name_partition("/dev/block/platform/mtk-msdc.0/11230000.msdc0/by-name/metadata"),
             std::string("metadata"));
    CHECK_EQ(fstab::by_name_partition("system"), std::string());
    CHECK_EQ(fstab::by_name_partition("/dev/block/mmcblk0p9"), std::string());
    CHECK_EQ(fstab::by_name_partition("/dev/block/by-name/"), std::string());
}

TEST(fstab_metadata_encryption_names_the_metadata_mount) {
    const auto key = fstab::userdata_key(fstab::parse(kMt6765));
    CHECK_EQ(key.encryption, std::string("metadata"));
    CHECK_EQ(key.key_partition, std::string("md_udc"));
    // metadata_encryption= says it as well, without a keydirectory under /metadata.
    const auto k2 = fstab::userdata_key(fstab::parse(
        "/dev/block/by-name/metadata /metadata f2fs noatime wait,formattable\n"
        "/dev/block/by-name/userdata /data f2fs noatime wait,metadata_encryption=aes-256-xts:wrappedkey_v0\n"));
    CHECK_EQ(k2.encryption, std::string("metadata"));
    CHECK_EQ(k2.key_partition, std::string("metadata"));
    // A key directory elsewhere is no metadata encryption; /metadatax is not /metadata.
    const auto k3 = fstab::userdata_key(
        fstab::parse("/dev/block/by-name/userdata /data ext4 noatime wait,keydirectory=/metadatax/k\n"));
    CHECK_EQ(k3.encryption, std::string("none"));
}

TEST(fstab_full_disk_file_based_and_none) {
    // Android 5 MT6752: the crypto footer on the metadata partition.
    const auto fde = fstab::userdata_key(fstab::parse(
        "/dev/block/platform/mtk-msdc.0/by-name/userdata /data ext4 noatime,nosuid "
        "wait,check,resize,encryptable=/dev/block/platform/mtk-msdc.0/by-name/metadata\n"));
    CHECK_EQ(fde.encryption, std::string("full"));
    CHECK_EQ(fde.key_partition, std::string("metadata"));
    const auto footer = fstab::userdata_key(fstab::parse("/dev/block/by-name/userdata /data ext4 noatime forceencrypt=footer\n"));
    CHECK_EQ(footer.encryption, std::string("full"));
    CHECK_EQ(footer.key_partition, std::string());
    const auto fbe = fstab::userdata_key(
        fstab::parse("/dev/block/by-name/userdata /data f2fs noatime wait,fileencryption=ice\n"));
    CHECK_EQ(fbe.encryption, std::string("file"));
    CHECK_EQ(fbe.key_partition, std::string());
    CHECK_EQ(fstab::userdata_key(fstab::parse("/dev/block/by-name/userdata /data ext4 noatime wait\n")).encryption,
             std::string("none"));
    CHECK_EQ(fstab::userdata_key(fstab::parse("/dev/block/by-name/cache /cache ext4 noatime wait\n")).encryption,
             std::string());
}

TEST(fstab_skips_flags_without_a_name) {
    // fuzz_fstab's finding: "=VALUE" gave a flag named "" (fs_mgr knows no such flag either).
    const auto e = fstab::parse("/dev/x /data f2fs noatime wait,,=aes,check=\n");
    CHECK_EQ(e.size(), size_t{1});
    CHECK_EQ(e[0].flags.size(), size_t{2});
    CHECK(!e[0].has(""));
    CHECK(e[0].has("check"));
    CHECK_EQ(e[0].value("check"), std::string());
}
