// util::read_line (src/util/lines.hpp), the line reader of the table readers, the gene-panel
// reader and the CLI's JSON Lines input: LF, CRLF and lone CR endings, a line cut at the cap
// (overlong), the last line without an end, empty lines, NUL bytes; on a std::istringstream,
// on a stream buffer a few bytes long (every ending split across refills) and on an unbuffered
// one (as std::cin tied to stdio). Each is compared with a reference splitter written plainly.
#include <doctest/doctest.h>

#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "util/lines.hpp"

using namespace actionable;

namespace {

struct Line {
  std::string text;
  bool overlong;
  bool operator==(Line const&) const = default;
};

// The reference: split at "\r\n", "\n" or "\r", keep at most `cap` bytes of each line.
std::vector<Line> reference_lines(std::string const& s, std::size_t cap) {
  std::vector<Line> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::string cur;
    while (i < s.size() && s[i] != '\n' && s[i] != '\r') cur += s[i++];
    if (i < s.size() && s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    if (i < s.size()) ++i;
    bool over = cur.size() > cap;
    if (over) cur.resize(cap);
    out.push_back({cur, over});
  }
  return out;
}

/// A stream buffer over a string that hands out `chunk` bytes per refill (0: unbuffered, one
/// character per underflow without a get area).
class ChunkBuf : public std::streambuf {
 public:
  ChunkBuf(std::string text, std::size_t chunk) : text_(std::move(text)), chunk_(chunk) {}

 protected:
  int_type underflow() override {
    if (chunk_ == 0) return pos_ < text_.size() ? traits_type::to_int_type(text_[pos_]) : traits_type::eof();
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (pos_ >= text_.size()) return traits_type::eof();
    std::size_t n = std::min(chunk_, text_.size() - pos_);
    window_.assign(text_, pos_, n);
    pos_ += n;
    setg(window_.data(), window_.data(), window_.data() + n);
    return traits_type::to_int_type(*gptr());
  }
  int_type uflow() override {
    if (chunk_ != 0) return std::streambuf::uflow();
    return pos_ < text_.size() ? traits_type::to_int_type(text_[pos_++]) : traits_type::eof();
  }

 private:
  std::string text_, window_;
  std::size_t chunk_, pos_ = 0;
};

std::vector<Line> read_all(std::istream& in, std::size_t cap) {
  std::vector<Line> out;
  std::string line;
  bool overlong = false;
  while (util::read_line(in, line, overlong, cap)) out.push_back({line, overlong});
  return out;
}

}  // namespace

TEST_CASE("read_line: endings, cap, last line, across refills and unbuffered") {
  std::string const nul("a\0b\nc", 5);
  std::vector<std::string> const inputs = {"",
                                           "\n",
                                           "\r\n",
                                           "\r",
                                           "\n\n\r\r\n",
                                           "one",
                                           "one\ntwo\r\nthree\rfour",
                                           "one\r\r\ntwo\n",
                                           "trailing\r",
                                           "a long line of thirty-two bytes!\nshort\r\nx",
                                           "crlf split\r\nat every place\r\n\r\n",
                                           nul,
                                           std::string(100, 'x') + "\r" + std::string(7, 'y')};
  for (std::size_t cap : {std::size_t{4}, std::size_t{10}, util::kMaxLineBytes}) {
    for (auto const& text : inputs) {
      CAPTURE(text);
      CAPTURE(cap);
      auto want = reference_lines(text, cap);
      std::istringstream whole(text);
      CHECK(read_all(whole, cap) == want);
      CHECK(whole.eof());
      for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}}) {
        CAPTURE(chunk);
        ChunkBuf buf(text, chunk);
        std::istream in(&buf);
        CHECK(read_all(in, cap) == want);
      }
    }
  }
}

TEST_CASE("read_line: a line far over the cap keeps the cap and reads on") {
  std::string text = std::string(1 << 20, 'z') + "\nnext\n";
  std::istringstream in(text);
  std::string line;
  bool overlong = false;
  REQUIRE(util::read_line(in, line, overlong, 1000));
  CHECK(line == std::string(1000, 'z'));
  CHECK(overlong);
  REQUIRE(util::read_line(in, line, overlong, 1000));
  CHECK(line == "next");
  CHECK_FALSE(overlong);
  CHECK_FALSE(util::read_line(in, line, overlong, 1000));
}
