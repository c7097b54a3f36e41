#pragma once
// The schema versions of the app stores: one list of migrations, so SqliteAppStore and
// PostgresAppStore always have the same versions with the same columns (AppRow reads both).
#include <span>
#include <string>
#include <string_view>

namespace aerie::schema {

// Migration i brings the schema from version i to i + 1 (SQLite's dialect); the latest version
// is their count.
std::span<const std::string_view> migrations();
// A migration in PostgreSQL's dialect: 64-bit integers are BIGINT, row ids an identity column.
std::string forPostgres(std::string_view sqlite);

}  // namespace aerie::schema
