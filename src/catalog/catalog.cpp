// Catalog: loads the three shipped reference tables from one directory
// (include/actionable/catalog/catalog.hpp) and finds that directory when none is given.
// ACTIONABLE_REFERENCE_DIR_INSTALL / ACTIONABLE_REFERENCE_DIR_BUILD are string macros set by
// CMake; without them the relative "rules/reference" is used. No exceptions escape.
#include "actionable/catalog/catalog.hpp"

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <system_error>
#include <utility>

namespace actionable::catalog {
namespace {

// Version labels of the shipped tables (see rules/reference/README.md).
constexpr char const* kOncoTreeFile = "oncotree_2025_10_03.tsv";
constexpr char const* kOncoTreeVersion = "oncotree_2025_10_03";
constexpr char const* kHgncFile = "hgnc_symbols.tsv";
constexpr char const* kHgncVersion = "hgnc_2024_10_18";
constexpr char const* kExonFile = "exon_aa_ranges.tsv";
constexpr char const* kExonVersion = "lrg_00634cf";

std::string join(std::string const& dir, char const* file) {
  if (dir.empty()) return file;
  if (dir.back() == '/') return dir + file;
  return dir + "/" + file;
}

}  // namespace

std::optional<Catalog> Catalog::load(std::string const& dir, std::string* error) {
  try {
    auto oncotree = OncoTree::load_tsv(join(dir, kOncoTreeFile), kOncoTreeVersion, error);
    if (!oncotree) return std::nullopt;
    auto genes = GeneCatalog::load_tsv(join(dir, kHgncFile), kHgncVersion, error);
    if (!genes) return std::nullopt;
    auto exons = ExonTable::load_tsv(join(dir, kExonFile), kExonVersion, error);
    if (!exons) return std::nullopt;
    return Catalog{std::move(*oncotree), std::move(*genes), std::move(*exons)};
  } catch (std::exception const& e) {
    if (error != nullptr) *error = dir + ": " + e.what();
    return std::nullopt;
  }
}

std::string Catalog::default_dir() {
  try {
    if (char const* env = std::getenv("ACTIONABLE_REFERENCE"); env != nullptr && *env != '\0') {
      return env;
    }
#ifdef ACTIONABLE_REFERENCE_DIR_INSTALL
    {
      std::error_code ec;
      if (std::filesystem::is_directory(ACTIONABLE_REFERENCE_DIR_INSTALL, ec)) {
        return ACTIONABLE_REFERENCE_DIR_INSTALL;
      }
    }
#endif
#ifdef ACTIONABLE_REFERENCE_DIR_BUILD
    return ACTIONABLE_REFERENCE_DIR_BUILD;
#else
    return "rules/reference";
#endif
  } catch (std::exception const&) {
    return "rules/reference";
  }
}

}  // namespace actionable::catalog
