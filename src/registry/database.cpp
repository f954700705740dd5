// Row accessors, URL dispatch and the backend-independent bits of the storage interface.
#include "actionable/registry/database.hpp"

#include <cstdlib>
#include <string>

namespace actionable::registry {

std::int64_t Row::i64(std::size_t i) const {
  Value const& v = cells.at(i);
  if (auto const* p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto const* p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto const* p = std::get_if<std::string>(&v)) return std::strtoll(p->c_str(), nullptr, 10);
  return 0;
}

double Row::f64(std::size_t i) const {
  Value const& v = cells.at(i);
  if (auto const* p = std::get_if<double>(&v)) return *p;
  if (auto const* p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto const* p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0.0;
}

std::string Row::text(std::size_t i) const {
  Value const& v = cells.at(i);
  if (auto const* p = std::get_if<std::string>(&v)) return *p;
  if (auto const* p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto const* p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}
std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}
std::optional<double> Row::opt_f64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return f64(i);
}

std::optional<Value> Database::scalar(std::string_view sql, std::vector<Value> const& params) {
  Rows rows = query(sql, params);
  if (rows.empty() || rows.front().cells.empty()) return std::nullopt;
  return rows.front().cells.front();
}

std::unique_ptr<Database> open_database(std::string const& url, SqliteOptions const& options) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return open_postgres(url);
  }
  std::string path = url;
  if (url.rfind("sqlite://", 0) == 0)
    path = url.substr(9);
  else if (url.rfind("sqlite:", 0) == 0)
    path = url.substr(7);
  if (path.empty()) throw Error(ErrorCode::kInput, "empty SQLite path in '" + url + "'");
  return open_sqlite(path, options);
}

}  // namespace actionable::registry
