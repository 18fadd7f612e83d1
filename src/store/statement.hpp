#pragma once
// A prepared SQLite statement with typed binding and reading; errors name the database file.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace emlab::store {

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding is 1-based, as in SQLite. NaN doubles and empty optionals are stored as NULL.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, std::optional<double> value);

  // Advances; true while a row is available. Throws emlab::Error on failure.
  bool step();
  // Runs a statement that returns no rows; returns the number of rows it changed.
  int run();
  void reset();

  int64_t integer(int column) const;
  double real(int column) const;  // NULL reads as NaN
  std::string text(int column) const;
  bool is_null(int column) const;
  int column_count() const;

 private:
  // A bind that SQLite refuses (an index past the statement's placeholders, say) is a bug that
  // would otherwise store a value in the wrong column or none at all: it throws.
  Statement& checked(int rc, int index);

  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace emlab::store
