// The report's PDF back-end (cairo + pango, no browser): A4 pages, a running header with the
// pseudonym and date, "page N / M" footers, tables that break across pages with their header
// row repeated, and the figures drawn with the same data as the HTML ones. Text is laid out by
// pango as plain text (never markup). Two passes: the first counts pages for the footers
// without drawing; text heights are measured once and shared.
#include <cairo-pdf.h>

#include <map>
#include <unordered_map>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <mutex>

#include "actionable/report/report.hpp"
#include "report/text.hpp"

namespace actionable::report {

namespace {

constexpr double kW = 595.276, kH = 841.89;  // A4 in points
constexpr double kLeft = 42, kRight = kW - 42, kTop = 64, kBottom = kH - 52;

std::string num(double v, int decimals = 1) { return detail::number(v, decimals); }
using detail::join;

/// Laid-out text by (text, size, weight, width), shared by the two passes: each distinct text is
/// laid out once; the drawing pass shows the layouts the counting pass measured (both passes draw
/// on PDF surfaces of one size, so the layouts' font options are the same).
struct LayoutCache {
  std::unordered_map<std::string, PangoLayout*> layouts;
  LayoutCache() = default;
  LayoutCache(LayoutCache const&) = delete;
  LayoutCache& operator=(LayoutCache const&) = delete;
  ~LayoutCache() {
    for (auto& [k, l] : layouts) g_object_unref(l);
  }
};
using HeightCache = LayoutCache;

class Writer {
 public:
  /// `draw` false: the counting pass, which measures and breaks pages but draws no text.
  Writer(cairo_t* cr, Document const& d, int total_pages, HeightCache& heights, bool draw)
      : cr_(cr), d_(d), total_(total_pages), heights_(heights), draw_(draw) {
    start_page();
  }
  ~Writer() {
    finish_page();
    for (auto& [k, f] : fonts_) pango_font_description_free(f);
  }
  Writer(Writer const&) = delete;
  Writer& operator=(Writer const&) = delete;
  int pages() const { return page_; }

  std::string L(std::string_view key) const { return std::string(label(d_.lang, key)); }

  double text_height(std::string const& text, double size, bool bold, double width) {
    int w = 0, h = 0;
    pango_layout_get_size(make(text, size, bold, width), &w, &h);
    return h / static_cast<double>(PANGO_SCALE);
  }
  void text_at(std::string const& text, double x, double y, double size, bool bold, double width, double r = 0.1,
               double g = 0.1, double b = 0.1) {
    if (!draw_) return;
    auto* layout = make(text, size, bold, width);
    cairo_set_source_rgb(cr_, r, g, b);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout);
  }
  void ensure(double h) {
    if (y_ + h > kBottom && y_ > kTop + 1) {
      finish_page();
      start_page();
    }
  }
  void heading(std::string const& text) {
    double h = text_height(text, 12, true, kRight - kLeft);
    ensure(h + 28);  // never a heading alone at the bottom of a page
    y_ += 8;
    text_at(text, kLeft, y_, 12, true, kRight - kLeft);
    y_ += h + 2;
    cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr_, 0.6);
    cairo_move_to(cr_, kLeft, y_);
    cairo_line_to(cr_, kRight, y_);
    cairo_stroke(cr_);
    y_ += 5;
  }
  void para(std::string const& text, double size = 9, bool bold = false) {
    double h = text_height(text, size, bold, kRight - kLeft);
    ensure(h);
    text_at(text, kLeft, y_, size, bold, kRight - kLeft);
    y_ += h + 4;
  }
  /// A table: column widths as fractions; rows break across pages, the header repeats.
  void table(std::vector<std::string> const& head, std::vector<double> const& frac,
             std::vector<std::vector<std::string>> const& rows) {
    double width = kRight - kLeft;
    auto row_height = [&](std::vector<std::string> const& cells, bool bold) {
      double h = 0;
      for (std::size_t c = 0; c < cells.size(); ++c)
        h = std::max(h, text_height(cells[c], 8, bold, frac[c] * width - 6));
      return h + 5;
    };
    auto draw_row = [&](std::vector<std::string> const& cells, bool bold, double h) {
      double x = kLeft;
      if (bold) {
        cairo_set_source_rgb(cr_, 0.93, 0.945, 0.96);
        cairo_rectangle(cr_, kLeft, y_, width, h);
        cairo_fill(cr_);
      }
      for (std::size_t c = 0; c < cells.size(); ++c) {
        text_at(cells[c], x + 3, y_ + 2.5, 8, bold, frac[c] * width - 6);
        x += frac[c] * width;
      }
      cairo_set_source_rgb(cr_, 0.75, 0.75, 0.75);
      cairo_set_line_width(cr_, 0.4);
      cairo_rectangle(cr_, kLeft, y_, width, h);
      cairo_stroke(cr_);
      y_ += h;
    };
    double hh = row_height(head, true);
    ensure(hh + (rows.empty() ? 0 : row_height(rows.front(), false)));
    draw_row(head, true, hh);
    for (auto const& r : rows) {
      double h = row_height(r, false);
      if (y_ + h > kBottom) {
        finish_page();
        start_page();
        draw_row(head, true, hh);
      }
      draw_row(r, false, h);
    }
    y_ += 6;
  }
  /// Horizontal bars (label, value in 0..1, germline?) with a 0–100 % axis.
  void bars(std::vector<std::tuple<std::string, double, bool>> const& items) {
    double row = 11, left = kLeft + 150, width = kRight - left - 40;
    ensure(std::min<double>(items.size(), 10) * row + 20);
    for (auto const& [name, v, germ] : items) {
      if (y_ + row > kBottom - 14) {
        finish_page();
        start_page();
      }
      text_at(name, kLeft, y_, 7, false, 146);
      cairo_set_source_rgb(cr_, germ ? 0.48 : 0.29, germ ? 0.31 : 0.44, germ ? 0.64 : 0.65);
      cairo_rectangle(cr_, left, y_ + 2, std::clamp(v, 0.0, 1.0) * width, 7);
      cairo_fill(cr_);
      text_at(num(v * 100) + " %", left + std::clamp(v, 0.0, 1.0) * width + 3, y_, 7, false, 40);
      y_ += row;
    }
    cairo_set_source_rgb(cr_, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, left, y_ + 1);
    cairo_line_to(cr_, left + width, y_ + 1);
    cairo_stroke(cr_);
    for (int k = 0; k <= 4; ++k)
      text_at(std::to_string(k * 25) + " %", left + k * width / 4 - 8, y_ + 3, 6.5, false, 30);
    y_ += 16;
  }
  double& y() { return y_; }
  cairo_t* cr() { return cr_; }

 private:
  /// The layout of this text, font and width: from the cache, or made once (one font
  /// description per size and weight).
  PangoLayout* make(std::string const& text, double size, bool bold, double width) {
    std::string key = text;
    key += '\0';
    key += std::to_string(static_cast<long>(size * 100)) + (bold ? "b" : "r") +
           std::to_string(static_cast<long>(width * 100));
    auto& cached = heights_.layouts[key];
    if (cached) return cached;
    auto& font = fonts_[{static_cast<long>(size * 100), bold}];
    if (!font) {
      font = pango_font_description_from_string("DejaVu Sans");
      pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
      if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
    }
    cached = pango_cairo_create_layout(cr_);
    pango_layout_set_wrap(cached, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_font_description(cached, font);
    pango_layout_set_width(cached, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_text(cached, text.c_str(), static_cast<int>(text.size()));
    return cached;
  }
  void start_page() {
    ++page_;
    y_ = kTop;
    auto const& h = d_.header;
    text_at(L("title") + " — " + h.pseudonym + " — " + h.report_date, kLeft, 30, 7.5, false, kRight - kLeft, 0.35, 0.35,
            0.35);
  }
  void finish_page() {
    std::string footer = std::to_string(page_) + " / " + std::to_string(std::max(total_, page_));
    text_at(footer, kRight - 60, kH - 36, 7.5, false, 60, 0.35, 0.35, 0.35);
    text_at(d_.header.ruleset_label, kLeft, kH - 36, 7.5, false, 300, 0.35, 0.35, 0.35);
    cairo_show_page(cr_);
  }
  cairo_t* cr_;
  Document const& d_;
  int total_;
  HeightCache& heights_;
  bool draw_;
  std::map<std::pair<long, bool>, PangoFontDescription*> fonts_;
  int page_ = 0;
  double y_ = kTop;
};

std::string cls(Document const& d, OptionClass c) {
  return std::string(label(d.lang, "class." + std::string(to_string(c))));
}

void findings_table(Writer& w, Document const& d, std::vector<FindingRow> const& rows) {
  std::vector<std::vector<std::string>> t;
  for (auto const& f : rows)
    t.push_back({f.gene, f.alteration + (f.alteration3 != f.alteration ? "\n" + f.alteration3 : ""), f.origin,
                 f.vaf ? num(*f.vaf * 100) + " %" : "", f.method, join(f.drives, "\n")});
  w.table(
      {w.L("col.gene"), w.L("col.alteration"), w.L("col.origin"), w.L("col.vaf"), w.L("col.method"), w.L("col.drives")},
      {0.14, 0.24, 0.11, 0.08, 0.1, 0.33}, t);
  (void)d;
}

void write(Writer& w, Document const& d) {
  auto const& h = d.header;
  w.text_at(w.L("title"), kLeft, w.y(), 15, true, kRight - kLeft);
  w.y() += 24;
  auto opt = [](std::optional<double> v, int dec) { return v ? num(*v, dec) : std::string("—"); };
  // The pseudonym on a line of its own: a registry pseudonym is 64 hex digits and a lab's sample
  // id has no spaces, so a table column broke them mid-word ("example_tumo|r_profile").
  w.para(w.L("header.pseudonym") + ": " + h.pseudonym, 9, true);
  w.table({w.L("header.centre"), w.L("header.tumour"), w.L("header.stage"), w.L("header.age"), w.L("header.sex"),
           w.L("header.ecog"), w.L("header.lines")},
          {0.12, 0.38, 0.1, 0.08, 0.08, 0.1, 0.14},
          {{h.centre, h.tumour_code + (h.tumour_name.empty() ? "" : " — " + h.tumour_name), h.stage, opt(h.age, 1),
            h.sex, opt(h.ecog, 0), opt(h.lines, 0)}});
  w.para(h.tumour_path, 7.5);
  w.para(w.L("header.report_date") + ": " + h.report_date + "   " + w.L("header.engine") + ": actionable " +
             h.engine_version + "   " + w.L("header.ruleset") + ": " + h.ruleset_label + " (sha256 " +
             h.ruleset.sha256.substr(0, 12) + "…)   " + w.L("header.references") + ": OncoTree " + h.oncotree_version +
             ", HGNC " + h.hgnc_version,
         7.5);
  w.para(h.intended_use, 8.5);
  auto const& s = d.summary;
  w.heading(w.L("section.summary"));
  if (s.provisional) {
    w.para(w.L("summary.provisional"), 9, true);
    for (auto const& i : s.input_issues) w.para(i, 7.5);
  }
  w.para(w.L("summary.recommended") + ": " + w.L("pathway." + std::string(to_string(s.recommended))), 11, true);
  w.para(s.why);
  for (auto const& g : s.groups) w.para(cls(d, g.cls) + ": " + join(g.therapies, ", "));
  w.heading(w.L("section.options"));
  if (d.options.empty())
    w.para(w.L("none"));
  else {
    std::vector<std::vector<std::string>> t;
    for (auto const& o : d.options) {
      std::vector<std::string> cites;
      for (auto const& c : o.cites) cites.push_back(c.text);
      std::string therapy = o.therapy;
      if (!o.phase.empty()) therapy += "\n" + w.L("phase") + " " + o.phase;
      if (!o.availability.empty()) therapy += "\n" + o.availability;
      if (!o.sites.empty()) therapy += "\n" + w.L("col.sites") + ": " + join(o.sites, ", ");
      if (!o.eligibility.empty()) therapy += "\n" + o.eligibility;
      t.push_back(
          {cls(d, o.cls), therapy, o.level, join(o.findings, "\n"), join(cites, ", "), o.criterion + "\n" + o.source});
    }
    w.table({w.L("col.class"), w.L("col.therapy"), w.L("col.level"), w.L("col.findings"), w.L("col.citations"),
             w.L("col.rule")},
            {0.11, 0.2, 0.09, 0.18, 0.2, 0.22}, t);
  }
  if (!d.evidence.empty()) {
    w.heading(w.L("section.evidence"));
    w.para(w.L("evidence.note"), 7.5);
    std::vector<std::vector<std::string>> t;
    for (auto const& o : d.evidence) {
      std::vector<std::string> cites;
      for (auto const& c : o.cites) cites.push_back(c.text);
      t.push_back({w.L((o.supports ? "direction." : "direction.not.") + o.direction), o.therapy, o.level,
                   join(o.findings, "\n"), join(cites, ", "), o.criterion + "\n" + o.source});
    }
    w.table({w.L("col.direction"), w.L("col.therapy"), w.L("col.level"), w.L("col.findings"), w.L("col.citations"),
             w.L("col.rule")},
            {0.11, 0.2, 0.09, 0.18, 0.2, 0.22}, t);
  }
  w.heading(w.L("section.tests_to_order"));
  if (d.tests_to_order.empty()) w.para(w.L("none"));
  for (auto const& t : d.tests_to_order) {
    w.para(w.L("order") + " " + t.test + ": " + std::to_string(t.options.size()) + " " +
               w.L(t.options.size() == 1 ? "depends_one" : "depends"),
           9, true);
    w.para(join(t.options, "; "), 7.5);
  }
  if (!d.suppressed.empty()) {
    w.heading(w.L("section.suppressed"));
    std::vector<std::vector<std::string>> t;
    for (auto const& x : d.suppressed) t.push_back({x.criterion, x.therapy, x.by});
    w.table({w.L("col.rule"), w.L("col.therapy"), w.L("col.by")}, {0.4, 0.3, 0.3}, t);
  }
  if (!d.off_label.empty()) {
    w.heading(w.L("section.off_label"));
    std::vector<std::vector<std::string>> t;
    for (auto const& x : d.off_label) {
      std::vector<std::string> cites;
      for (auto const& c : x.cites) cites.push_back(c.text);
      t.push_back(
          {x.therapy, join(x.approved_in, ", "), join(x.findings, "\n"), x.level, join(cites, ", "), x.criterion});
    }
    w.table({w.L("col.therapy"), w.L("col.approved_in"), w.L("col.findings"), w.L("col.level"), w.L("col.citations"),
             w.L("col.rule")},
            {0.16, 0.12, 0.2, 0.09, 0.2, 0.23}, t);
  }
  if (!d.near_misses.empty()) {
    w.heading(w.L("section.near_misses"));
    std::vector<std::vector<std::string>> t;
    for (auto const& x : d.near_misses) t.push_back({x.criterion, x.reason});
    w.table({w.L("col.rule"), w.L("col.reason")}, {0.4, 0.6}, t);
  }
  w.heading(w.L("section.findings"));
  if (d.findings.empty())
    w.para(w.L("none"));
  else
    findings_table(w, d, d.findings);
  if (!d.germline.empty()) {
    w.heading(w.L("section.germline"));
    w.para(w.L("germline.counselling"), 9, true);
    findings_table(w, d, d.germline);
  }
  if (!d.unresolved.empty()) {
    w.heading(w.L("section.unresolved"));
    std::vector<std::string> u;
    for (auto const& x : d.unresolved) u.push_back("#" + std::to_string(x.finding) + " " + x.field + ": " + x.symbol);
    w.para(join(u, "; "), 8);
  }
  w.heading(w.L("section.tests"));
  if (d.tests.empty())
    w.para(w.L("coverage.assumed"));
  else {
    std::vector<std::vector<std::string>> t;
    for (auto const& x : d.tests) t.push_back({x.what, x.origin, x.method, x.panel});
    w.table({w.L("col.what"), w.L("col.origin"), w.L("col.method"), w.L("col.panel")}, {0.5, 0.15, 0.15, 0.2}, t);
  }
  if (!d.treatments.empty()) {
    w.heading(w.L("section.treatments"));
    std::vector<std::vector<std::string>> t;
    for (auto const& x : d.treatments)
      t.push_back({x.line ? std::to_string(*x.line) : "", x.drugs, x.start, x.end, x.best_response, x.progression});
    w.table({w.L("col.line"), w.L("col.drugs"), w.L("col.start"), w.L("col.end"), w.L("col.response"),
             w.L("col.progression")},
            {0.07, 0.33, 0.15, 0.15, 0.15, 0.15}, t);
  }
  std::vector<std::tuple<std::string, double, bool>> vafs;
  for (auto const* rows : {&d.findings, &d.germline})
    for (auto const& f : *rows)
      if (f.vaf) vafs.emplace_back(f.gene + " " + f.alteration, *f.vaf, f.origin == "germline");
  if (vafs.size() > 40) vafs.resize(40);
  if (!vafs.empty()) {
    w.heading(w.L("fig.vaf"));
    w.bars(vafs);
  }
}

cairo_status_t append(void* closure, unsigned char const* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<char const*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

int layout_pass(Document const& d, int total, std::string* out, HeightCache& heights) {
  std::string sink;
  auto* surface = cairo_pdf_surface_create_for_stream(append, out ? out : &sink, kW, kH);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 (std::string(label(d.lang, "title")) + " — " + d.header.pseudonym).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "actionable");
  // A fixed creation date keeps re-runs byte-identical (the report date is in the header).
  cairo_pdf_surface_set_metadata(
      surface, CAIRO_PDF_METADATA_CREATE_DATE,
      (d.header.report_date.empty() ? std::string("2000-01-01") : d.header.report_date).c_str());
  auto* cr = cairo_create(surface);
  int pages = 0;
  {
    Writer w(cr, d, total, heights, out != nullptr);
    write(w, d);
    pages = w.pages();
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  return pages;
}

}  // namespace

std::string render_pdf(Document const& d) {
  // One PDF at a time in the process. cairo, pango, fontconfig and GLib keep process-wide state
  // (fontconfig's configuration and caches, GLib's slice allocator, the C library's time zone
  // that cairo's date stamp reads through mktime) behind locks of their own that
  // ThreadSanitizer cannot see: the portal's workers rendering PDFs side by side gave 29
  // reports inside those libraries (tests/threads/portal_threads_test.cpp under the tsan
  // preset, 2026-12-03), none in ours, which we can neither confirm nor rule out as races.
  // Serialising costs the portal only PDF throughput (one render takes 11.5 ms for the README
  // patient, 48.8 ms for 500 findings: docs/performance.md) and the CLI nothing (one at a time).
  static std::mutex one_at_a_time;
  std::lock_guard lock(one_at_a_time);
  // Two passes: the first breaks pages without drawing (to count them for "N / M"), the
  // second draws with the heights the first measured.
  HeightCache heights;
  int pages = layout_pass(d, 0, nullptr, heights);
  std::string out;
  layout_pass(d, pages, &out, heights);
  return out;
}

}  // namespace actionable::report
