#include <gtest/gtest.h>

#include "api/RoomName.hpp"

namespace aerie {
namespace {

TEST(RoomNameTest, Table) {
  const std::pair<std::string, const char*> cases[] = {
      // name, expected problem substring (nullptr: valid)
      {"room", nullptr},
      {"a", nullptr},
      {"my room 1", nullptr},
      {"salle-à-manger", nullptr},
      {"会議室", nullptr},
      {"emoji 😀", nullptr},
      {"a+b&c=d%", nullptr},
      {std::string(128, 'x'), nullptr},
      {"", "empty"},
      {std::string(129, 'x'), "longer than 128"},
      {std::string(43, 'x') + "会議室会議室会議室会議室会議室会議室會議室會議室会議室会議室",
       "longer"},
      {"a/b", "'/'"},
      {"a?b", "'/'"},
      {"a#b", "'/'"},
      {std::string("a\0b", 3), "NUL"},
      {"a\nb", "control"},
      {"a\tb", "control"},
      {"a\x7f", "control"},
      {"a\xc2\x85", "control"},  // U+0085 NEL, a C1 control
      {"a\xff", "UTF-8"},
      {"a\xc3", "UTF-8"},             // truncated
      {"\xc0\xaf", "UTF-8"},          // overlong '/'
      {"\xe0\x80\xaf", "UTF-8"},      // overlong
      {"\xed\xa0\x80", "UTF-8"},      // surrogate U+D800
      {"\xf4\x90\x80\x80", "UTF-8"},  // above U+10FFFF
      {"\x80", "UTF-8"},              // lone continuation byte
  };
  for (const auto& [name, problem] : cases) {
    const auto p = RoomName::problem(name, 128);
    if (problem == nullptr) {
      EXPECT_FALSE(p) << name << ": " << p.value_or("");
    } else {
      ASSERT_TRUE(p) << name;
      EXPECT_NE(p->find(problem), std::string::npos) << *p;
    }
  }
}

}  // namespace
}  // namespace aerie
