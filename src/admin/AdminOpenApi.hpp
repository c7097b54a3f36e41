#pragma once
// The OpenAPI 3.0 description of the admin API, served at /admin/v1/openapi.json. Kept next to
// the handlers; a unit test checks that it names every route AdminRoute knows.
#include <string_view>

namespace aerie {

class AdminOpenApi {
 public:
  static std::string_view document();
};

}  // namespace aerie
