// CTML expressions: building and rendering them, and lifting tumour sets out of them (Lifter).
#include <algorithm>

#include "ctml_internal.hpp"

namespace actionable::import::ctml_detail {

Expr leaf(std::string text, bool clinical) {
  Expr e;
  e.kind = Expr::kLeaf;
  e.text = std::move(text);
  e.clinical = clinical;
  return e;
}

Expr make(Expr::Kind k, std::vector<Expr> kids) {
  if (k == Expr::kNot) {
    Expr e;
    e.kind = Expr::kNot;
    e.kids = std::move(kids);
    return e;
  }
  // Flatten and drop neutral elements.
  std::vector<Expr> out;
  for (auto& c : kids) {
    if (k == Expr::kAnd && c.kind == Expr::kTrue) continue;
    if (c.kind == k && (k == Expr::kAnd || k == Expr::kOr)) {
      for (auto& g : c.kids) out.push_back(std::move(g));
    } else {
      out.push_back(std::move(c));
    }
  }
  if (k == Expr::kOr)
    for (auto const& c : out)
      if (c.kind == Expr::kTrue) return Expr{};
  if (out.empty()) return Expr{};
  if (out.size() == 1) return out[0];
  Expr e;
  e.kind = k;
  e.kids = std::move(out);
  return e;
}

std::string render(Expr const& e) {
  switch (e.kind) {
    case Expr::kTrue: return "";
    case Expr::kTumour: return "";
    case Expr::kLeaf: return e.text;
    case Expr::kNot: {
      auto const& k = e.kids[0];
      return k.kind == Expr::kLeaf ? "not " + render(k) : "not (" + render(k) + ")";
    }
    // Same and/or rendering as civic_profile.cpp's render(), over Expr; see there.
    case Expr::kAnd: {
      std::string s;
      for (auto const& k : e.kids)
        s += (s.empty() ? "" : " and ") + (k.kind == Expr::kOr ? "(" + render(k) + ")" : render(k));
      return s;
    }
    case Expr::kOr: {
      std::string s;
      for (auto const& k : e.kids) s += (s.empty() ? "" : " or ") + render(k);
      return s;
    }
  }
  return "";
}

bool only_clinical(Expr const& e) {
  if (e.kind == Expr::kLeaf) return e.clinical;
  if (e.kind == Expr::kTrue) return true;
  for (auto const& k : e.kids)
    if (!only_clinical(k)) return false;
  return true;
}
bool no_clinical(Expr const& e) {
  if (e.kind == Expr::kLeaf) return !e.clinical;
  for (auto const& k : e.kids)
    if (!no_clinical(k)) return false;
  return true;
}

// ---- lifting tumours out of the tree ----------------------------------------------------------

bool Lifter::solid_code(std::string const& c) const {
  auto id = tree.find(c);
  return id && tree.is_solid(*id);
}
std::optional<std::string> Lifter::meet(std::string const& a, std::string const& b) const {
  if (a == b) return a;
  if (a == "TISSUE") return b;
  if (b == "TISSUE") return a;
  if (a == "SOLID") return solid_code(b) ? std::optional<std::string>(b) : std::nullopt;
  if (b == "SOLID") return solid_code(a) ? std::optional<std::string>(a) : std::nullopt;
  auto ia = tree.find(a), ib = tree.find(b);
  if (!ia || !ib) return std::nullopt;
  if (tree.is_descendant(*ib, *ia)) return b;
  if (tree.is_descendant(*ia, *ib)) return a;
  return std::nullopt;
}
bool Lifter::inside(std::string const& code, std::string const& anc) const {
  if (code == "SOLID") return false;
  auto ic = tree.find(code), ia = tree.find(anc);
  return ic && ia && tree.is_descendant(*ic, *ia);
}
std::optional<TumourSet> Lifter::intersect(TumourSet const& a, TumourSet const& b) const {
  TumourSet r;
  r.except = a.except;
  r.except.insert(b.except.begin(), b.except.end());
  if (a.any && b.any)
    r.any = true;
  else if (a.any) {
    r.any = false;
    r.include = b.include;
  } else if (b.any) {
    r.any = false;
    r.include = a.include;
  } else {
    r.any = false;
    for (auto const& x : a.include)
      for (auto const& y : b.include)
        if (auto m = meet(x, y)) r.include.insert(*m);
    if (r.include.empty()) return std::nullopt;
  }
  if (!r.any) {
    std::set<std::string> kept;
    for (auto const& c : r.include) {
      bool gone = false;
      for (auto const& e : r.except) gone = gone || inside(c, e);
      if (!gone) kept.insert(c);
    }
    if (kept.empty()) return std::nullopt;
    r.include = kept;
    // Drop exceptions outside every included code (they exclude nothing).
    std::set<std::string> ex;
    for (auto const& e : r.except) {
      bool relevant = false;
      for (auto const& c : r.include) relevant = relevant || c == "SOLID" || inside(e, c);
      if (relevant) ex.insert(e);
    }
    r.except = ex;
  }
  return r;
}

std::optional<Lifter::Branches> Lifter::lift(Expr const& e, std::size_t limit) const {
  switch (e.kind) {
    case Expr::kTrue: return Branches{{TumourSet{}, Expr{}}};
    case Expr::kTumour: return Branches{{e.tumour, Expr{}}};
    case Expr::kLeaf:
    case Expr::kNot: return Branches{{TumourSet{}, e}};
    case Expr::kOr: {
      Branches all;
      for (auto const& k : e.kids) {
        auto b = lift(k, limit);
        if (!b) return std::nullopt;
        all.insert(all.end(), b->begin(), b->end());
      }
      return merge(all, limit);
    }
    case Expr::kAnd: {
      Branches acc{{TumourSet{}, Expr{}}};
      for (auto const& k : e.kids) {
        auto b = lift(k, limit);
        if (!b) return std::nullopt;
        Branches next;
        for (auto const& [ta, ea] : acc)
          for (auto const& [tb, eb] : *b) {
            auto t = intersect(ta, tb);
            if (!t) continue;
            next.push_back({*t, make(Expr::kAnd, {ea, eb})});
            if (next.size() > limit * 4) return std::nullopt;
          }
        acc = merge(next, limit);
      }
      return acc;
    }
  }
  return std::nullopt;
}

Lifter::Branches Lifter::merge(Branches const& in, std::size_t) const {
  std::vector<TumourSet> order;
  std::map<TumourSet, std::vector<Expr>> by;
  for (auto const& [t, e] : in) {
    if (!by.count(t)) order.push_back(t);
    by[t].push_back(e);
  }
  Branches out;
  for (auto const& t : order) out.push_back({t, make(Expr::kOr, by[t])});
  return out;
}

}  // namespace actionable::import::ctml_detail
