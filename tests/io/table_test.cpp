// TableReader: the mess real tables bring (table.hpp).
#include <doctest/doctest.h>

#include "actionable/detail/io/readers/table.hpp"
#include "helpers.hpp"

using namespace actionable::io;
using iotest::mem;

TEST_CASE("table: CRLF, BOM, blank first lines, comment header, quoted fields") {
  std::string text =
      "\xEF\xBB\xBF\r\n\r\n#version 2.4\r\n#another comment\r\nA\tB\tC\r\n"
      "1\t\"x\ty\"\t3\r\n\r\n"
      "4\t\"say \"\"hi\"\"\"\t6\r\n";
  TableReader t(mem(text), TableOptions{'\t', {"A"}});
  REQUIRE(t.ok());
  CHECK(t.header() == std::vector<std::string>{"A", "B", "C"});
  CHECK(t.header_line() == 5);
  CHECK(t.comments() == std::vector<std::string>{"version 2.4", "another comment"});
  Row row;
  REQUIRE(t.next(row));
  CHECK(row.line == 6);
  CHECK(row.fields == std::vector<std::string>{"1", "x\ty", "3"});
  REQUIRE(t.next(row));
  CHECK(row.line == 8);
  CHECK(row.fields[1] == "say \"hi\"");
  CHECK_FALSE(t.next(row));
}

TEST_CASE("table: a header starting with # (STAR-Fusion) and cBioPortal's 4 # lines") {
  TableReader star(mem("#FusionName\tLeftGene\nA--B\tA^ENSG1\n"), TableOptions{'\t', {"FusionName"}});
  REQUIRE(star.ok());
  CHECK(star.header()[0] == "FusionName");
  TableReader clin(
      mem("#Sample Identifier\tOncotree\n#desc\tdesc\n#STRING\tSTRING\n#1\t1\nSAMPLE_ID\tONCOTREE_CODE\nS1\tLUAD\n"),
      TableOptions{0, {"SAMPLE_ID"}});
  REQUIRE(clin.ok());
  CHECK(clin.header_line() == 5);
  CHECK(clin.comments().size() == 4);
  Row row;
  REQUIRE(clin.next(row));
  CHECK(row.get(clin.column("oncotree_code")) == "LUAD");  // case-insensitive
}

TEST_CASE("table: missing trailing columns are padded; extra non-empty columns are a row error") {
  TableReader t(mem("A,B,C\n1,2\n1,2,3,4\n1,2,3,,\n"), TableOptions{0, {}});
  REQUIRE(t.ok());
  CHECK(t.delimiter() == ',');
  Row row;
  REQUIRE(t.next(row));
  CHECK(row.error.empty());
  CHECK(row.fields == std::vector<std::string>{"1", "2", ""});
  REQUIRE(t.next(row));
  CHECK(row.line == 3);
  CHECK(row.error == "4 fields, but the header has 3");
  REQUIRE(t.next(row));
  CHECK(row.error.empty());  // trailing empty fields are harmless
}

TEST_CASE("table: CR-only line ends, quoted field across lines, unterminated quote") {
  TableReader cr(mem("A\tB\r1\t2\r3\t4"), TableOptions{});
  Row row;
  REQUIRE(cr.next(row));
  CHECK(row.fields == std::vector<std::string>{"1", "2"});
  REQUIRE(cr.next(row));
  CHECK(row.line == 3);
  TableReader ml(mem("A\tB\n\"two\nlines\"\tx\nnext\ty\n"), TableOptions{});
  REQUIRE(ml.next(row));
  CHECK(row.line == 2);
  CHECK(row.fields[0] == "two\nlines");
  REQUIRE(ml.next(row));
  CHECK(row.line == 4);
  TableReader bad(mem("A\tB\n\"never closed\tx\n"), TableOptions{});
  REQUIRE(bad.next(row));
  CHECK(row.error == "unterminated quoted field");
}

TEST_CASE("table: missing header and missing file") {
  TableReader t(mem("x\ty\n1\t2\n"), TableOptions{'\t', {"Hugo_Symbol"}});
  CHECK_FALSE(t.ok());
  CHECK(t.error() == "no header line with a column named Hugo_Symbol");
  TableReader f(Source::file("/nonexistent/file.tsv"), TableOptions{});
  CHECK(f.error() == "cannot open file");
}

TEST_CASE("text helpers") {
  CHECK(text::is_missing("NA"));
  CHECK(text::is_missing(" . "));
  CHECK_FALSE(text::is_missing("0"));
  CHECK(text::to_double("2.5") == 2.5);
  CHECK_FALSE(text::to_double("2.5x"));
  CHECK(text::to_int("-2.0") == -2);
  CHECK(text::leading_int("19/28") == 19);
  CHECK(text::leading_int("exon19") == 19);
  CHECK_FALSE(text::leading_int("/28"));
  CHECK(text::percent_decode("p.Arg213%3D") == "p.Arg213=");
  CHECK(text::is_gene_symbol("HLA-A"));
  CHECK_FALSE(text::is_gene_symbol("Other Biomarkers"));
}

TEST_CASE("table: a line longer than the limit is a row error, not a 1 GB string (docs/reliability.md)") {
  std::string text = "A\tB\n1\t" + std::string(TableReader::kMaxLineBytes + 10, 'x') + "\n2\t3\n";
  TableReader t(mem(text), TableOptions{'\t', {"A"}});
  REQUIRE(t.ok());
  Row row;
  REQUIRE(t.next(row));
  CHECK(row.line == 2);
  CHECK(row.error.find("row longer than") == 0);
  REQUIRE(t.next(row));  // the next line is read as usual
  CHECK(row.line == 3);
  CHECK(row.error.empty());
  CHECK(row.fields == std::vector<std::string>{"2", "3"});
  // A header line that long: the file is refused.
  TableReader h(mem(std::string(TableReader::kMaxLineBytes + 1, 'A') + "\n"), TableOptions{'\t', {"A"}});
  CHECK_FALSE(h.ok());
  CHECK(h.error().find("is longer than") != std::string::npos);
}

TEST_CASE("table: a line that is not UTF-8 is a row error (found by tests/fuzz)") {
  TableReader t(mem("A\tB\n1\tS\xD0x\n2\t\xC3\xA9\n"), TableOptions{'\t', {"A"}});
  REQUIRE(t.ok());
  Row row;
  REQUIRE(t.next(row));
  CHECK(row.error == "line not valid UTF-8 (byte 0xD0 at column 4)");
  REQUIRE(t.next(row));
  CHECK(row.error.empty());  // é is fine
  TableReader h(mem("A\t\xFF\n"), TableOptions{'\t', {"A"}});
  CHECK_FALSE(h.ok());
}
