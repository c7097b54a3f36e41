#pragma once
#include <string_view>

namespace aerie::utf8 {

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. ASCII runs are checked
// eight bytes at a time.
bool valid(std::string_view s);

}  // namespace aerie::utf8
