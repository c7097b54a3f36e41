#pragma once
// The parameters of one PostgreSQL statement ($1, $2, ...), all sent as text; nullopt is NULL.
// Values never go into the SQL text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

class PgParams {
 public:
  PgParams& add(std::string_view v) {
    values_.emplace_back(std::string(v));
    return *this;
  }
  PgParams& add(const std::string& v) { return add(std::string_view(v)); }
  PgParams& add(const char* v) { return add(std::string_view(v)); }
  PgParams& add(std::int64_t v) {
    values_.emplace_back(std::to_string(v));
    return *this;
  }
  PgParams& add(const std::optional<std::string>& v) {
    values_.push_back(v);
    return *this;
  }
  PgParams& add(std::optional<std::int64_t> v) {
    values_.push_back(v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt);
    return *this;
  }

  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

}  // namespace aerie
