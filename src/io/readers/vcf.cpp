// VCF + VEP CSQ / SnpEff ANN reader (see vcf.hpp).
#include "actionable/detail/io/readers/vcf.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "util/text.hpp"
#include "collector.hpp"
#include "util/lines.hpp"
#include "util/utf8.hpp"

namespace actionable::io {

namespace {

using util::split_exact;

/// The annotation layout: field names, and which INFO key holds it.
struct Layout {
  std::string key;  // "CSQ" or "ANN"
  std::vector<std::string> fields;
  bool snpeff = false;
  std::optional<std::size_t> col(std::initializer_list<std::string_view> names) const {
    for (auto n : names)
      for (std::size_t i = 0; i < fields.size(); ++i)
        if (text::iequals(fields[i], n)) return i;
    return std::nullopt;
  }
};

/// Parses the Description of ##INFO=<ID=CSQ|ANN,…>.
std::optional<Layout> parse_info_header(std::string_view line) {
  auto id = line.find("ID=");
  if (id == std::string_view::npos) return std::nullopt;
  auto id_end = line.find_first_of(",>", id);
  auto key = line.substr(id + 3, id_end - id - 3);
  if (key != "CSQ" && key != "ANN" && key != "BCSQ_UNUSED") return std::nullopt;
  auto d = line.find("Description=\"");
  if (d == std::string_view::npos) return std::nullopt;
  auto desc = line.substr(d + 13);
  if (auto q = desc.rfind('"'); q != std::string_view::npos) desc = desc.substr(0, q);
  Layout l;
  l.key = std::string(key);
  l.snpeff = key == "ANN";
  std::string_view list;
  if (auto f = desc.find("Format:"); f != std::string_view::npos)
    list = desc.substr(f + 7);
  else if (auto c = desc.find(':'); c != std::string_view::npos)
    list = desc.substr(c + 1);
  else
    return std::nullopt;
  list = text::trim(list);
  while (!list.empty() && (list.front() == '\'' || list.front() == ' ')) list.remove_prefix(1);
  while (!list.empty() && (list.back() == '\'' || list.back() == ' ')) list.remove_suffix(1);
  for (auto& f : split_exact(list, '|')) l.fields.emplace_back(text::trim(f));
  if (l.fields.size() < 2) return std::nullopt;
  return l;
}

/// VEP's allele string: the common leading base of REF and all ALTs removed ("-" if empty).
std::string vep_allele(std::string const& ref, std::string const& alt, std::vector<std::string> const& alts) {
  bool all_single = ref.size() == 1;
  for (auto const& a : alts) all_single = all_single && a.size() == 1;
  if (all_single || ref.empty()) return alt;
  char first = ref[0];
  for (auto const& a : alts)
    if (a.empty() || a[0] != first) return alt;
  std::string out = alt.substr(1);
  return out.empty() ? "-" : out;
}

bool looks(std::string_view name, std::string_view what) { return text::lower(name).find(what) != std::string::npos; }

}  // namespace

ReadResult read_vcf(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "vcf", options);
  std::unique_ptr<std::istream> in;
  if (source.text)
    in = std::make_unique<std::istringstream>(*source.text);
  else
    in = std::make_unique<std::ifstream>(source.path, std::ios::binary);
  if (!*in) {
    out.issue(IssueLevel::kError, 0, "cannot open file");
    return r;
  }
  if (in->peek() == 0x1f) {
    out.issue(IssueLevel::kError, 0, "compressed VCF: decompress it first (bgzip -d / gunzip)");
    return r;
  }
  std::vector<Layout> layouts;
  std::string tumour_hdr, normal_hdr;
  std::vector<std::string> samples;
  bool have_columns = false;
  std::string line;
  std::size_t ln = 0;
  std::size_t tumour_col = 0;  // index into samples; valid when !samples.empty()
  std::string tumour;

  bool overlong = false;
  std::string const too_long = "longer than " + std::to_string(util::kMaxLineBytes) + " bytes";
  // A line that cannot be read (`why`: too long, or not UTF-8): on the #CHROM line it ends the
  // file (true), a header line is ignored, a data row is skipped with `row_msg`.
  auto refuse_line = [&](std::string const& why, std::string row_msg) {
    if (line.rfind("#CHROM", 0) == 0) {
      out.issue(IssueLevel::kError, ln, "#CHROM line is " + why);
      return true;
    }
    if (line[0] == '#') {
      out.issue(IssueLevel::kWarning, ln, "header line " + why + ": ignored");
    } else {
      out.begin_row_of(tumour);
      out.skip(IssueLevel::kError, ln, std::move(row_msg));
    }
    return false;
  };
  while (util::read_line(*in, line, overlong)) {  // bounded: a longer line is cut, then refused
    ++ln;
    if (ln == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (overlong) {
      if (refuse_line(too_long, "row " + too_long + ": skipped")) return r;
      continue;
    }
    if (text::trim(line).empty()) continue;
    if (auto bad = util::utf8_problem(line); !bad.empty()) {
      if (refuse_line(bad, "line " + bad)) return r;
      continue;
    }
    if (line.rfind("##", 0) == 0) {
      std::string_view l = line;
      if (l.rfind("##INFO=<", 0) == 0) {
        if (auto lay = parse_info_header(l)) layouts.push_back(std::move(*lay));
      } else if (l.rfind("##tumor_sample=", 0) == 0) {
        tumour_hdr = std::string(text::trim(l.substr(15)));
      } else if (l.rfind("##normal_sample=", 0) == 0) {
        normal_hdr = std::string(text::trim(l.substr(16)));
      }
      continue;
    }
    if (line.rfind("#CHROM", 0) == 0) {
      auto cols = split_exact(line, '\t');
      if (cols.size() < 8) {
        out.issue(IssueLevel::kError, ln, "#CHROM line has fewer than 8 columns");
        return r;
      }
      // The fixed columns, by name (VCF 4.x §1.5), and a name for every sample column: a header
      // that misnames them is not a VCF this reader can trust (a column without a name picked
      // as the tumour sample gave findings without a sample; found by fuzzing, 2026-12-02).
      static char const* const kFixed[] = {"#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"};
      for (std::size_t i = 0; i < cols.size() && i < std::size(kFixed); ++i) {
        if (cols[i] != kFixed[i]) {
          out.issue(IssueLevel::kError, ln,
                    "#CHROM line: column " + std::to_string(i + 1) + " is '" + cols[i] + "', not " + kFixed[i] +
                        " (the header names #CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT sample…])");
          return r;
        }
      }
      for (std::size_t i = 9; i < cols.size(); ++i) {
        if (cols[i].find_first_not_of(" ") == std::string::npos) {
          out.issue(IssueLevel::kError, ln, "#CHROM line: sample column " + std::to_string(i + 1) + " has no name");
          return r;
        }
        samples.push_back(cols[i]);
      }
      have_columns = true;
      if (layouts.empty())
        out.issue(IssueLevel::kError, 0,
                  "no ##INFO=<ID=CSQ> (VEP) or ##INFO=<ID=ANN> (SnpEff) header: the VCF is not "
                  "annotated, so no gene or protein change can be read");
      r.format = layouts.empty() ? "vcf" : layouts.front().snpeff ? "vcf-snpeff" : "vcf-vep";
      // Choose the tumour sample.
      auto find = [&](std::string const& name) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < samples.size(); ++i)
          if (samples[i] == name) return i;
        return std::nullopt;
      };
      std::optional<std::size_t> pick;
      if (!options.vcf_tumour_sample.empty()) {
        pick = find(options.vcf_tumour_sample);
        if (!pick) {
          out.issue(IssueLevel::kError, ln,
                    "tumour sample '" + options.vcf_tumour_sample + "' is not a column of this VCF");
          return r;
        }
      }
      if (!pick && !tumour_hdr.empty()) pick = find(tumour_hdr);
      if (!pick)
        for (std::size_t i = 0; i < samples.size() && !pick; ++i)
          if (looks(samples[i], "tumor") || looks(samples[i], "tumour")) pick = i;
      if (!pick && samples.size() == 1) pick = 0;
      if (!pick && !samples.empty()) {
        for (std::size_t i = 0; i < samples.size() && !pick; ++i)
          if (samples[i] != normal_hdr && !looks(samples[i], "normal")) pick = i;
        if (!pick) pick = 0;
        out.issue(IssueLevel::kWarning, ln,
                  "cannot tell the tumour sample: using '" + samples[*pick] + "' (give it with --tumour-sample)");
      }
      if (pick) {
        tumour_col = *pick;
        tumour = samples[*pick];
        out.sample(tumour, ln);
      }
      if (layouts.empty()) {
        out.finish();
        return r;
      }
      continue;
    }
    if (line[0] == '#') continue;
    if (!have_columns) {
      out.issue(IssueLevel::kError, ln, "data line before the #CHROM header line");
      return r;
    }
    // A data line.
    out.begin_row_of(tumour);  // every data line is the tumour column's
    auto cols = split_exact(line, '\t');
    if (cols.size() < 8) {
      out.skip(IssueLevel::kError, ln, std::to_string(cols.size()) + " columns, a VCF line needs 8");
      continue;
    }
    std::string const& ref = cols[3];
    std::string const& filter = cols[6];
    if (!(filter == "PASS" || filter == "." || filter.empty())) {
      out.skip(IssueLevel::kNote, ln, "FILTER " + filter + ": not a PASS call");
      continue;
    }
    auto alts = split_exact(cols[4], ',');
    // INFO annotation entries.
    std::vector<std::vector<std::string>> entries;
    Layout const* lay = nullptr;
    for (auto const& kv : split_exact(cols[7], ';')) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) continue;
      auto key = std::string_view(kv).substr(0, eq);
      for (auto const& l : layouts) {
        if (l.key != key || lay) continue;
        lay = &l;
        for (auto const& e : split_exact(std::string_view(kv).substr(eq + 1), ','))
          entries.push_back(split_exact(e, '|'));
      }
    }
    // Tumour sample FORMAT values.
    std::vector<std::string> fmt_keys, fmt_vals;
    if (!samples.empty() && cols.size() > 9 + tumour_col) {
      fmt_keys = split_exact(cols[8], ':');
      fmt_vals = split_exact(cols[9 + tumour_col], ':');
    }
    auto fmt = [&](std::string_view key) -> std::string {
      for (std::size_t i = 0; i < fmt_keys.size() && i < fmt_vals.size(); ++i)
        if (fmt_keys[i] == key) return fmt_vals[i];
      return {};
    };
    std::string gt = fmt("GT");
    std::size_t produced = 0;
    for (std::size_t a = 0; a < alts.size(); ++a) {
      std::string const& alt = alts[a];
      if (alt == "." || alt == "*" || alt.empty()) continue;
      if (!gt.empty() && gt != "." && gt != "./." && gt != ".|.") {
        bool present = false;
        for (auto const& g : text::split_any(gt, "/|"))
          if (g == std::to_string(a + 1)) present = true;
        if (!present) {
          out.issue(IssueLevel::kNote, ln,
                    "ALT " + alt + " is not in the genotype " + gt + " of " + tumour + ": skipped");
          continue;
        }
      } else if (gt == "./." || gt == "." || gt == ".|.") {
        out.issue(IssueLevel::kNote, ln, "no genotype call for " + tumour + ": skipped");
        continue;
      }
      if (!lay || entries.empty()) {
        out.issue(IssueLevel::kNote, ln,
                  "no " + std::string(layouts.front().key) + " annotation for ALT " + alt + ": skipped");
        continue;
      }
      auto c_allele = lay->col({"Allele"});
      auto c_allele_num = lay->col({"ALLELE_NUM"});
      std::string vep_alt = vep_allele(ref, alt, alts);
      std::vector<std::vector<std::string> const*> mine;
      for (auto const& e : entries) {
        auto get = [&](std::optional<std::size_t> c) -> std::string_view {
          return c && *c < e.size() ? std::string_view(e[*c]) : std::string_view();
        };
        bool match;
        if (c_allele_num && !get(c_allele_num).empty()) {
          match = get(c_allele_num) == std::to_string(a + 1);
        } else if (c_allele) {
          auto al = get(c_allele);
          match = al == alt || al == vep_alt || alts.size() == 1;
        } else {
          match = alts.size() == 1;
        }
        if (match) mine.push_back(&e);
      }
      if (mine.empty()) {
        out.issue(IssueLevel::kNote, ln, "no annotation for ALT " + alt + ": skipped");
        continue;
      }
      auto c_symbol = lay->col({"SYMBOL", "Gene_Name"});
      auto c_csq = lay->col({"Consequence", "Annotation"});
      auto c_hgvsp = lay->col({"HGVSp", "HGVS.p"});
      auto c_hgvsc = lay->col({"HGVSc", "HGVS.c"});
      auto c_feature = lay->col({"Feature", "Feature_ID"});
      auto c_biotype = lay->col({"BIOTYPE", "Transcript_BioType"});
      auto c_exon = lay->col({"EXON"});
      auto c_intron = lay->col({"INTRON"});
      auto c_rank = lay->col({"Rank"});
      auto c_mane = lay->col({"MANE_SELECT", "MANE"});
      auto c_pick = lay->col({"PICK"});
      auto c_canon = lay->col({"CANONICAL"});
      auto c_aa = lay->col({"Amino_acids"});
      auto c_ppos = lay->col({"Protein_position"});
      auto c_hgnc = lay->col({"HGNC_ID"});
      auto g = [](std::vector<std::string> const& e, std::optional<std::size_t> c) -> std::string_view {
        return c && *c < e.size() ? text::trim(e[*c]) : std::string_view();
      };
      std::vector<std::string> const* chosen = nullptr;
      if (!lay->snpeff) {
        for (auto* e : mine)
          if (!chosen && !g(*e, c_mane).empty()) chosen = e;
        for (auto* e : mine)
          if (!chosen && g(*e, c_pick) == "1") chosen = e;
        for (auto* e : mine)
          if (!chosen && text::iequals(g(*e, c_canon), "YES")) chosen = e;
        if (!chosen) {
          int best = 1 << 30;
          for (auto* e : mine) {
            if (g(*e, c_biotype) != "protein_coding") continue;
            int rk = so_rank(most_severe_consequence(g(*e, c_csq)));
            if (rk < best) {
              best = rk;
              chosen = e;
            }
          }
        }
        if (!chosen) chosen = mine.front();
      } else {
        for (auto* e : mine)
          if (!chosen && g(*e, c_biotype) == "protein_coding") chosen = e;
        if (!chosen) chosen = mine.front();
      }
      auto const& e = *chosen;
      std::string gene(g(e, c_symbol));
      std::string consequence = most_severe_consequence(g(e, c_csq));
      if (gene.empty()) {
        out.issue(IssueLevel::kNote, ln, "ALT " + alt + " (" + consequence + ") is in no gene: skipped");
        continue;
      }
      if (consequence == "gene_fusion" && gene.find('&') != std::string::npos) {
        auto parts = text::split_any(gene, "&");
        nlohmann::json f = {{"origin", out.origin()}, {"type", "fusion"}};
        f["gene5"] = parts[0];
        if (parts.size() > 1) f["gene3"] = parts[1];
        out.finding(tumour, ln, std::move(f));
        ++produced;
        continue;
      }
      if (!text::is_gene_symbol(gene)) {
        out.issue(IssueLevel::kError, ln, "'" + gene + "' is not a gene symbol: skipped");
        continue;
      }
      nlohmann::json f = nlohmann::json::object();
      f["origin"] = out.origin();
      f["gene"] = gene;
      std::string_view hp = g(e, c_hgvsp);
      std::string built;
      if (hp.empty() && !lay->snpeff) {
        // VEP without --hgvs: Amino_acids "V/E" + Protein_position "600" -> p.V600E.
        auto aa = std::string(g(e, c_aa));
        auto pos = std::string(g(e, c_ppos));
        if (aa.size() == 3 && aa[1] == '/' && text::to_int(pos)) {
          built = "p." + std::string(1, aa[0]) + pos + std::string(1, aa[2]);
          hp = built;
        }
      }
      out.add_protein(f, hp, ln);
      if (auto c = clean_hgvsc(g(e, c_hgvsc))) f["hgvsc"] = *c;
      if (!g(e, c_feature).empty()) f["transcript"] = std::string(g(e, c_feature));
      if (auto id = hgnc_id(g(e, c_hgnc)); !id.empty()) f["hgnc_id"] = id;
      if (!consequence.empty()) f["consequence"] = consequence;
      if (lay->snpeff) {
        if (auto rk = text::leading_int(g(e, c_rank)); rk && *rk > 0) {
          if (text::lower(g(e, c_csq)).find("intron") != std::string::npos)
            f["intron"] = *rk;
          else
            f["exon"] = *rk;
        }
      } else {
        if (auto x = text::leading_int(g(e, c_exon)); x && *x > 0) f["exon"] = *x;
        if (auto x = text::leading_int(g(e, c_intron)); x && *x > 0) f["intron"] = *x;
      }
      // VAF of this allele in the tumour sample.
      std::optional<double> vaf;
      auto af = split_exact(fmt("AF"), ',');
      if (a < af.size()) vaf = text::to_double(af[a]);
      if (!vaf) {
        auto ad = split_exact(fmt("AD"), ',');
        if (ad.size() == alts.size() + 1) {
          double sum = 0;
          bool okd = true;
          for (auto const& x : ad) {
            auto v = text::to_double(x);
            okd = okd && v && *v >= 0;
            if (v) sum += *v;
          }
          if (okd && sum > 0) vaf = *text::to_double(ad[a + 1]) / sum;
        }
      }
      if (!vaf) {
        auto fr = fmt("FREQ");
        if (!fr.empty() && fr.back() == '%') {
          if (auto v = text::to_double(std::string_view(fr).substr(0, fr.size() - 1))) vaf = *v / 100.0;
        }
      }
      if (vaf && *vaf >= 0 && *vaf <= 1) f["vaf"] = detail::round4(*vaf);
      out.finding(tumour, ln, std::move(f));
      ++produced;
    }
    if (produced == 0) ++r.counts.skipped;
  }
  if (!have_columns) out.issue(IssueLevel::kError, 0, "no #CHROM header line: not a VCF");
  out.finish();
  return r;
}

}  // namespace actionable::io
