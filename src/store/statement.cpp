#include "store/statement.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace emlab::store {

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK)
    fail("database {}: {} (in: {})", db.path().string(), db.last_error(), sql);
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::checked(int rc, int index) {
  if (rc != SQLITE_OK)
    fail("database {}: cannot bind parameter {} of '{}' ({})", db_.path().string(), index,
         sqlite3_sql(stmt_), sqlite3_errstr(rc));
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  return checked(sqlite3_bind_int64(stmt_, index, value), index);
}

Statement& Statement::bind(int index, double value) {
  return checked(std::isnan(value) ? sqlite3_bind_null(stmt_, index)
                                   : sqlite3_bind_double(stmt_, index, value),
                 index);
}

Statement& Statement::bind(int index, std::string_view value) {
  return checked(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT),
                 index);
}

Statement& Statement::bind(int index, std::optional<double> value) {
  return bind(index, value.value_or(std::numeric_limits<double>::quiet_NaN()));
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail("database {}: {}", db_.path().string(), db_.last_error());
}

int Statement::run() {
  while (step()) {
  }
  return sqlite3_changes(db_.handle());
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
  if (is_null(column)) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int Statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

}  // namespace emlab::store
