// OncoTree name / NCIt -> code lookup (see tumour_resolver.hpp).
#include "actionable/detail/io/readers/tumour_resolver.hpp"

#include "actionable/detail/io/readers/table.hpp"

namespace actionable::io {

std::optional<TumourResolver> TumourResolver::load(Source const& source, std::string* error) {
  TableReader t(source, TableOptions{'\t', {"code"}});
  auto fail = [&](std::string msg) -> std::optional<TumourResolver> {
    if (error) *error = source.path + ": " + msg;
    return std::nullopt;
  };
  if (!t.ok()) return fail(t.error());
  auto c_code = t.column("code");
  auto c_name = t.column("name");
  auto c_nci = t.column("nci");
  if (!c_code || !c_name) return fail("no code / name columns");
  TumourResolver res;
  Row row;
  while (t.next(row)) {
    std::string code(row.get(c_code));
    if (code.empty()) continue;
    res.codes_.emplace(text::upper(code), code);
    auto name = text::lower(row.get(c_name));
    if (!name.empty()) res.names_.emplace(name, code);
    for (auto const& id : text::split_any(row.get(c_nci), ",")) res.ncit_.emplace(text::upper(id), code);
  }
  if (res.codes_.empty()) return fail("no OncoTree codes");
  return res;
}

std::optional<std::string> TumourResolver::code_for(std::string_view s) const {
  s = text::trim(s);
  if (s.empty()) return std::nullopt;
  if (text::starts_with_icase(s, "oncotree:")) s.remove_prefix(9);
  if (text::starts_with_icase(s, "ncit:")) {
    auto it = ncit_.find(text::upper(s.substr(5)));
    if (it != ncit_.end()) return it->second;
    return std::nullopt;
  }
  if (auto it = codes_.find(text::upper(s)); it != codes_.end()) return it->second;
  if (auto it = names_.find(text::lower(s)); it != names_.end()) return it->second;
  if (auto it = ncit_.find(text::upper(s)); it != ncit_.end()) return it->second;
  return std::nullopt;
}

}  // namespace actionable::io
