// actionable oncotree CODE|NAME — a tumour type of the loaded OncoTree: its code, name, main
// type, tissue, path from the root and the retired codes it carries; a retired code names the
// node(s) it now is.
#include "cli/commands.hpp"
#include "util/ascii.hpp"

namespace actionable::cli {

// The usual setup_* shape (as cmd_test.cpp: captured arguments, subcommand, required positional,
// callback); only CLI11's calling shape is shared.
void setup_oncotree(CLI::App& app, Common& common) {
  auto query = std::make_shared<std::vector<std::string>>();
  auto* sub = app.add_subcommand("oncotree", "Show an OncoTree node by code or name: path, main type, retired codes");
  sub->add_option("QUERY", *query, "an OncoTree code (current or retired) or a name")->required();
  sub->callback([query, &common] {
    auto const& tree = common.catalog()->oncotree;
    std::string q;
    for (auto const& w : *query) q += (q.empty() ? "" : " ") + w;
    std::vector<catalog::TumourId> hits;
    std::string note;
    if (auto id = tree.find(q)) {
      hits.push_back(*id);
    } else if (auto old = tree.retired(q)) {
      hits = old->current;
      note = "'" + q + "' is a retired code (" + old->how + ")";
    } else {
      for (catalog::TumourId id = 0; id < tree.size(); ++id)
        if (util::lower(tree.name(id)) == util::lower(q) || util::upper(tree.code(id)) == util::upper(q))
          hits.push_back(id);
    }
    if (hits.empty()) {
      auto sug = tree.suggest(q, 3);
      std::cerr << "error: '" << q << "' is not an OncoTree code or name (OncoTree " << tree.version() << ")";
      if (!sug.empty()) std::cerr << "; did you mean '" << sug[0] << "'?";
      std::cerr << "\n";
      throw CLI::RuntimeError(1);
    }
    if (!note.empty()) std::cout << note << (hits.size() > 1 ? ", split into:" : ":") << "\n";
    for (auto id : hits) {
      std::string path;
      for (auto n : tree.lineage(id)) path += (path.empty() ? "" : " > ") + tree.code(n);
      std::cout << tree.code(id) << "\t" << tree.name(id) << "\n"
                << "  main type: " << tree.main_type(id) << "\n"
                << "  tissue:    " << tree.tissue(id) << "\n"
                << "  path:      " << path << "\n";
      auto h = tree.history_of(id);
      std::string hs;
      for (auto const& x : h) hs += (hs.empty() ? "" : ", ") + x;
      std::cout << "  retired codes: " << (hs.empty() ? "none" : hs) << "\n";
    }
    std::cout << "(OncoTree " << tree.version() << ")\n";
  });
}

}  // namespace actionable::cli
