// layout_scatter (ops/scatter_layout.h) on tables built here: where the rows it adds lie.
#include <cstdint>
#include <optional>
#include <string>

#include "check.h"
#include "format/table.h"
#include "format/scatter_generation.h"
#include "format/scatter_policy.h"
#include "ops/scatter_layout.h"

using mtkfw::Exit;

namespace {
// One partition at 1 MiB of 1 MiB; the user area is 16 MiB.
mtkfw::PartitionTable one_partition(uint64_t last_lba) {
    mtkfw::PartitionTable t;
    t.first_lba = 34;
    t.last_lba = last_lba;
    mtkfw::PartitionRow r;
    r.index = 1;
    r.name = "system";
    r.start = 1 << 20;
    r.size = 1 << 20;
    r.content = "ext4";
    t.rows.push_back(r);
    return t;
}
mtkfw::LayoutOptions options() {
    mtkfw::LayoutOptions o;
    o.platform = "MT6752";
    o.project = "unit";
    o.device_size = 16 << 20;
    o.preloader_file = "preloader_unit.bin";
    o.absolute_tail = true;
    return o;
}
}  // namespace

TEST(layout_scatter_puts_sgpt_after_the_last_usable_lba) {
    mtkfw::Notices notices;
    const mtkfw::Scatter s = mtkfw::layout_scatter(one_partition(8191), mtkfw::ScatterPolicy::builtin(), options(), notices);
    const mtkfw::ScatterPartition* sgpt = s.find("sgpt");
    CHECK(sgpt != nullptr);
    if (sgpt) CHECK_EQ(sgpt->linear_start, uint64_t{8192 * 512});
}

// A table read from text can say any last_lba: (2^55 + 8191 + 1) * 512 wrapped around 2^64 to
// 4 MiB, and the sgpt row went there silently, for a table whose disk ends past 2^64 bytes.
TEST(layout_scatter_refuses_a_last_lba_past_any_disk) {
    mtkfw::Notices notices;
    const uint64_t lying = (uint64_t{1} << 55) + 8191;
    CHECK_THROWS(mtkfw::layout_scatter(one_partition(lying), mtkfw::ScatterPolicy::builtin(), options(), notices),
                 Exit::invalid_input, "lies past any disk");
}

// --- generations (format/scatter_generation.h) and their rules (format/scatter_policy.h) -------

namespace {
const mtkfw::ScatterGeneration& generation(const char* platform) { return *mtkfw::generation_for(platform).generation; }

mtkfw::PartitionRow row(uint32_t index, const std::string& name, uint64_t start, uint64_t size, const char* content) {
    mtkfw::PartitionRow r;
    r.index = index;
    r.name = name;
    r.start = start;
    r.size = size;
    r.content = content;
    return r;
}
}  // namespace

TEST(generation_table_gives_each_sampled_chip_its_stock_form) {
    CHECK_EQ(std::string(generation("MT6752").config_version), std::string("V1.1.2"));
    CHECK_EQ(generation("MT6752").keys, 14);
    CHECK_EQ(generation("MT6737M").keys, 15);
    CHECK_EQ(generation("MT6765").keys, 16);
    CHECK_EQ(std::string(generation("MT6768").config_version), std::string("V1.1.8"));
    CHECK(generation("MT6768").modem_keys);
    CHECK(generation("MT6779").multi_storage);
    CHECK(generation("MT6781").preloader == mtkfw::PreloaderRows::with_backup);
    CHECK_EQ(generation("MT6833").keys, 17);
    CHECK_EQ(mtkfw::generation_for("MT6765").source, std::string("table"));
    // chips the table does not list: the range's sample, said as such
    CHECK_EQ(mtkfw::generation_for("MT6853").source, std::string("nearest MT6833"));
    CHECK_EQ(mtkfw::generation_for("MT6769Z").source, std::string("nearest MT6768"));
    CHECK_EQ(mtkfw::generation_for("MT6580").source, std::string("nearest MT6752"));
    CHECK_EQ(mtkfw::generation_for("MT8168").source, std::string("nearest MT6765"));
    CHECK_THROWS(mtkfw::generation_for("MTK6765"), Exit::usage, "expected MTxxxx");
    // --scatter-version: a name, or a config_version (the platform's own generation first)
    CHECK_EQ(std::string(mtkfw::generation_named("V1.1.2", generation("MT6752"))->name), std::string("mt6752"));
    CHECK_EQ(std::string(mtkfw::generation_named("V1.1.2", generation("MT6768"))->name), std::string("v1.1.2"));
    CHECK_EQ(std::string(mtkfw::generation_named("v2.1.0-17", generation("MT6768"))->name), std::string("v2.1.0-17"));
    CHECK(mtkfw::generation_named("V3", generation("MT6768")) == nullptr);
}

TEST(policy_ab_slots_pairs_and_stems) {
    mtkfw::ScatterPolicy stock = mtkfw::ScatterPolicy::for_generation(generation("MT6768"));
    stock.name_files(mtkfw::FileNames::stock);
    // _a: the base rule with stock's unsuffixed file; _b: INVISIBLE, not downloaded, base's is_upgradable
    auto p = stock.plan("lk_a", "unknown");
    CHECK_EQ(p.file_name, std::string("lk.img"));
    CHECK(p.is_download && p.empty_boot_needed && p.is_upgradable);
    p = stock.plan("lk_b", "unknown");
    CHECK_EQ(p.operation_type, std::string("INVISIBLE"));
    CHECK(!p.is_download && !p.empty_boot_needed && p.is_upgradable);
    CHECK_EQ(p.file_name, std::string("NONE"));
    CHECK(!stock.plan("vendor_boot_b", "unknown").is_upgradable);
    CHECK(!stock.plan("init_boot_a", "unknown").is_download);
    CHECK_EQ(stock.plan("init_boot_a", "unknown").operation_type, std::string("UPDATE"));
    // pairs: one stock file, empty_boot_needed on the first
    CHECK_EQ(stock.plan("tee2", "unknown").file_name, std::string("tee.img"));
    CHECK(stock.plan("tee1", "unknown").empty_boot_needed && !stock.plan("tee2", "unknown").empty_boot_needed);
    // stems: cam_vpu3, opporeserve7
    CHECK_EQ(stock.plan("cam_vpu3", "unknown").file_name, std::string("cam_vpu3.img"));
    CHECK(stock.knows("opporeserve7") && !stock.plan("opporeserve7", "unknown").is_download);
    // logo_a and logo_b both downloaded from logo.bin (a stock MT6893 scatter, MODERN.md 1.5)
    CHECK(stock.plan("logo_b", "unknown").is_download);
    CHECK_EQ(stock.plan("logo_b", "unknown").file_name, std::string("logo.bin"));
    CHECK(stock.plan("logo_a", "unknown").empty_boot_needed && !stock.plan("logo_b", "unknown").empty_boot_needed);
    CHECK(!stock.knows("lenovocust"));
    CHECK_EQ(stock.plan("lenovocust", "ext4").operation_type, std::string("INVISIBLE"));
    // no rule, but a MediaTek image: firmware, downloaded under its own name
    auto fw = stock.plan("connsys_wifi", "mtk-image");
    CHECK(fw.is_download && fw.firmware_by_content && fw.is_upgradable);
    CHECK_EQ(fw.file_name, std::string("connsys_wifi.img"));
    CHECK(!stock.plan("connsys_wifi", "unknown").is_download);
    // super is NORMAL_ROM whatever it holds; a not-downloaded row keeps stock's type
    CHECK_EQ(stock.plan("super", "unknown").type, std::string("NORMAL_ROM"));
    CHECK_EQ(stock.plan("nvdata", "unknown").type, std::string("EXT4_IMG"));
    // partition names: every slot downloaded from its own file, the stock extension kept
    mtkfw::ScatterPolicy own = mtkfw::ScatterPolicy::for_generation(generation("MT6768"));
    CHECK_EQ(own.plan("boot_b", "android-boot").file_name, std::string("boot_b.img"));
    CHECK(own.plan("boot_b", "android-boot").is_download);
    CHECK(!own.plan("lk_b", "unknown").empty_boot_needed);
    CHECK_EQ(own.plan("lk2", "unknown").file_name, std::string("lk2.img"));
    CHECK_EQ(own.plan("logo", "unknown").file_name, std::string("logo.bin"));
    // --download of a _b placeholder: downloaded from its own file, never the _a row's
    stock.opt_in({"boot_b"});
    CHECK(stock.plan("boot_b", "android-boot").is_download);
    CHECK_EQ(stock.plan("boot_b", "android-boot").file_name, std::string("boot_b.img"));
    CHECK_EQ(stock.plan("boot_a", "android-boot").file_name, std::string("boot.img"));
    // a policy file's FILE is what the row gets in both modes
    stock.load("tee2 UPDATE trustzone.bin - - - - -\n", "p");
    CHECK_EQ(stock.plan("tee2", "unknown").file_name, std::string("trustzone.bin"));
    CHECK_THROWS(stock.load("x UPDATE - - maybe\n", "p"), Exit::invalid_input, "UPGRADABLE: expected true, false or -");
    // DOWNLOAD false with a FILE: named, not downloaded (OPPO's super); without one: NONE
    stock.load("super UPDATE super.img NORMAL_ROM true - - false\n", "p");
    CHECK(!stock.plan("super", "unknown").is_download);
    CHECK_EQ(stock.plan("super", "unknown").file_name, std::string("super.img"));
    CHECK_EQ(stock.plan("init_boot_a", "unknown").file_name, std::string("NONE"));
}

// V2.1.0: both sections, the same rows; UFS regions, and the tail re-encoded per block_size
// (MODERN.md 1.4: flashinfo 0xFFFF0080 on eMMC, 0xFFFF0020 on UFS); MT6781's two preloader rows.
TEST(layout_v210_writes_an_emmc_and_a_ufs_section) {
    mtkfw::PartitionTable t;
    t.first_lba = 64;
    t.last_lba = (0x4000000 - 0x8000) / 512 - 1;  // a backup GPT area of 0x8000, as the stock files say
    t.rows = {row(1, "boot_a", 0x8000, 0x100000, "android-boot"), row(2, "userdata", 0x108000, 0x2000000, "ext4"),
              row(3, "flashinfo", 0x2108000, 0x1000000, "unknown")};
    mtkfw::LayoutOptions o = options();
    o.absolute_tail = false;
    o.device_size = 0x4000000;
    o.generation = &generation("MT6781");
    mtkfw::Notices notices;
    mtkfw::ScatterPolicy policy = mtkfw::ScatterPolicy::for_generation(*o.generation);
    const mtkfw::Scatter s = mtkfw::layout_scatter(t, policy, o, notices);
    CHECK_EQ(s.storages.size(), size_t{2});
    CHECK_EQ(s.partitions.size(), size_t{2 * 7});
    const auto* fi = s.find("flashinfo", "EMMC");
    const auto* fu = s.find("flashinfo", "UFS");
    CHECK(fi && fu);
    if (fi && fu) {
        CHECK_EQ(fi->linear_start, uint64_t{0xFFFF0080});
        CHECK_EQ(fu->linear_start, uint64_t{0xFFFF0020});
        CHECK_EQ(fu->region, std::string("UFS_LU2"));
    }
    const auto* backup = s.find("preloader_backup", "UFS");
    CHECK(backup != nullptr);
    if (backup) {
        CHECK_EQ(backup->region, std::string("UFS_LU1"));
        CHECK_EQ(backup->index, std::string("SYS1"));
        CHECK(backup->is_upgradable == std::optional<bool>(false));
    }
    CHECK_EQ(s.find("userdata")->operation_type, std::string("NEEDRESIZE"));
    CHECK_EQ(s.find("pgpt", "UFS")->index, std::string("SYS2"));
    CHECK(!s.find("pgpt")->combo_partsize_check);  // 16 keys: no combo_partsize_check
}
