// The portal's one stylesheet, served as /static/portal.css (CSP: no inline style anywhere).
// Readable on a laptop and a tablet: fluid width, tables that scroll sideways on narrow
// screens, visible keyboard focus, colours with WCAG AA contrast.
#include "portal/internal.hpp"

namespace actionable::portal::detail {

char const* const kCss = R"css(
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 100%; line-height: 1.45; color: #1a1a1a; background: #f6f7f9; }
body { margin: 0; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.2rem; background: #1f4e79; color: #fff; }
header.top a { color: #fff; }
.brand { font-weight: 700; margin: 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: 0; padding: 0; }
.who { margin-left: auto; display: flex; gap: .8rem; align-items: center; }
.who form { margin: 0; }
main { max-width: 75rem; margin: 0 auto; padding: 1rem 1.2rem 2rem; background: #fff; }
h1 { font-size: 1.6rem; margin-top: .4rem; }
h2 { font-size: 1.25rem; margin-top: 1.8rem; border-bottom: 1px solid #d0d4da; }
h3 { font-size: 1.05rem; }
a { color: #0b5394; }
a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f0a202; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e1e4e8; vertical-align: top; }
thead th { background: #eef1f5; }
.scroll { overflow-x: auto; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; }
code.pseudonym { word-break: break-all; }
.overdue { color: #a4000f; }
.error, .field-error { color: #a4000f; }
.field-error { display: block; font-size: .9rem; }
.notice { color: #205e20; }
form.filters { display: flex; flex-wrap: wrap; gap: .4rem .8rem; align-items: center; margin: .6rem 0; }
form.record { border: 1px solid #d0d4da; padding: .4rem 1rem; margin: 1rem 0; max-width: 40rem; background: #fafbfc; }
form.login { max-width: 24rem; }
label { font-weight: 600; }
form.record label, form.login label { display: block; }
input, select, textarea, button { font: inherit; padding: .35rem .5rem; }
input, select, textarea { border: 1px solid #767676; border-radius: 3px; max-width: 100%; }
textarea { width: 100%; }
button { background: #1f4e79; color: #fff; border: 1px solid #1f4e79; border-radius: 3px; cursor: pointer; }
header.top button { background: #fff; color: #1f4e79; }
[aria-invalid="true"] { border-color: #a4000f; border-width: 2px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
iframe.report { width: 100%; height: 42rem; border: 1px solid #d0d4da; }
.pager ul { list-style: none; display: flex; gap: .6rem; padding: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; }
.figures figure { flex: 1 1 22rem; margin: 0; }
svg.km { width: 100%; height: auto; }
section.changed { border-left: 4px solid #f0a202; padding-left: .8rem; }
footer { max-width: 75rem; margin: 0 auto; padding: .6rem 1.2rem; font-size: .85rem; color: #4a4a4a; }
@media (max-width: 40rem) { .who { margin-left: 0; } main { padding: .8rem; } }
@media print { header.top, footer, form { display: none; } }
)css";

}  // namespace actionable::portal::detail
