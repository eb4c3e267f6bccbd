// The names a scatter's general block says (scatter_layout.h) and the project in a stock preloader
// name (preloader.h): what scatter-gen and bl-strip --project print, where each value came from.
#include <optional>
#include <string>

#include "check.h"
#include "format/table.h"
#include "ops/preloader.h"
#include "ops/scatter_layout.h"

using mtkfw::Exit;
using mtkfw::NameSource;
using mtkfw::project_of_preloader;
using mtkfw::scatter_names;

namespace {
mtkfw::PartitionTable table_saying(const std::string& platform) {
    mtkfw::PartitionTable table;
    table.platform = platform;
    return table;
}
const std::optional<std::string> kNone;
const std::optional<mtkfw::PreloaderImage> kNoPreloader;
}  // namespace

TEST(project_of_preloader_reads_the_stock_name_only) {
    CHECK_EQ(project_of_preloader("preloader_k01q_e.bin").value_or("?"), std::string("k01q_e"));
    CHECK(!project_of_preloader("preloader.bin"));
    CHECK(!project_of_preloader("preloader_.bin"));
    CHECK(!project_of_preloader("preloader_k01q_e.img"));
    CHECK(!project_of_preloader("lk_k01q_e.bin"));
    CHECK(!project_of_preloader(""));
}

TEST(scatter_names_given_table_and_platform_sources) {
    auto names = scatter_names(std::string("MT6752"), std::string("p70a"), table_saying("MT6735"), kNoPreloader);
    CHECK_EQ(names.platform, std::string("MT6752"));
    CHECK(names.platform_from == NameSource::given);
    CHECK_EQ(names.project, std::string("p70a"));
    CHECK(names.project_from == NameSource::given);

    names = scatter_names(kNone, kNone, table_saying("MT6735"), kNoPreloader);
    CHECK_EQ(names.platform, std::string("MT6735"));
    CHECK(names.platform_from == NameSource::table);
    CHECK_EQ(names.project, std::string("mt6735"));
    CHECK(names.project_from == NameSource::platform);

    // An empty --project counts as none.
    names = scatter_names(std::string("MT6752"), std::string(""), table_saying(""), kNoPreloader);
    CHECK_EQ(names.project, std::string("mt6752"));
    CHECK(names.project_from == NameSource::platform);
}

TEST(scatter_names_project_from_the_preloaders_stock_name) {
    const mtkfw::PreloaderImage named{0x40000, "preloader_k01q_e.bin"}, unnamed{0x40000, ""};
    auto names = scatter_names(std::string("MT6752"), kNone, table_saying(""), named);
    CHECK_EQ(names.project, std::string("k01q_e"));
    CHECK(names.project_from == NameSource::preloader);
    names = scatter_names(std::string("MT6752"), std::string("p70a"), table_saying(""), named);
    CHECK_EQ(names.project, std::string("p70a"));
    CHECK(names.project_from == NameSource::given);
    names = scatter_names(std::string("MT6752"), kNone, table_saying(""), unnamed);
    CHECK_EQ(names.project, std::string("mt6752"));
    CHECK(names.project_from == NameSource::platform);
}

TEST(scatter_names_needs_an_mtxxxx_platform) {
    CHECK_THROWS(scatter_names(kNone, kNone, table_saying(""), kNoPreloader), Exit::usage,
                 "platform: required");
    CHECK_THROWS(scatter_names(std::string("6752"), kNone, table_saying(""), kNoPreloader), Exit::usage,
                 "expected MTxxxx, got '6752'");
    try {
        scatter_names(kNone, kNone, table_saying(""), kNoPreloader);
    } catch (const mtkfw::Failure& f) {
        CHECK(f.remedy() == mtkfw::Remedy::name_platform);
    }
}
