#!/usr/bin/env python3
"""Cross-check the shipped rule set against the authorised EU (EMA) indications.

Usage: python3 tests/rules/ema_crosscheck.py ACTIONABLE_BINARY SOURCE_DIR [--report-markdown FILE]

Reference data (read in place, never copied into the repository): the MOAlmanac
database 2.0 draft in SOURCE_DIR/../shared/data/moalmanac/db2_referenced_2026-05-15/
(GPL-2.0, test / reference use only; see its SOURCE.md).  Its 222 EMA indications
(`ind:ema.*`) carry the authorised wording, the EC decision date and the EPAR link;
statements link each indication to biomarkers, diseases (OncoTree codes) and
therapies.  If the data are missing the check FAILS (it does not skip).

What is checked
---------------
1. `actionable rules` is run on SOURCE_DIR/rules/precision1.  Every `class approved`
   rule is mapped, one therapy string at a time, to the EMA indications of the same
   therapy: every drug of the combination (`A + B + C`), with "platinum" standing for
   carboplatin or cisplatin and "fluoropyrimidine" for fluorouracil or capecitabine.
   An indication regimen matches *exactly* when it has the same drugs (chemotherapy
   partners the indication text names, e.g. "with pemetrexed", are added to a
   regimen that already has a chemotherapy partner, because the records sometimes
   leave them out); it matches *partially* when the therapy string names the
   targeted drug alone and the regimen only adds chemotherapy or hormone partners
   (README: "cetuximab" stands for cetuximab alone or with chemotherapy).
2. For each candidate indication:
   * tumour: each OncoTree code of the rule overlaps (is an ancestor or descendant
     of) a code of the indication's diseases and vice versa ("Any solid tumor" is
     SOLID); a "non-squamous" label must except LUSC;
   * biomarker: each alteration of the indication is covered by an alteration of the
     same gene and a compatible kind in the rule's `when` (defines expanded), and each
     alteration of the rule is covered by the indication: fusions by fusions /
     rearrangements, named protein changes by the same change or its codon,
     exon-level classes by the same exon class, "activating / somatic / pathogenic
     variants" by any variant-level atom, amplification / deletion by the same copy
     number call, wild type by a negated atom of that gene.  Receptor status follows
     the README: HER2-positive = ERBB2 amplification, HER2-negative = not ERBB2
     amplification, ER / PR positive = `biomarker ER|PR = positive`.  A label that says
     "germline" needs a `germline` atom; "germline and/or somatic" an atom without
     origin.  A label naming a single change at a codon (e.g. "V600E") needs the rule
     to name that change, not the whole codon.  Other protein-expression markers
     (IHC) cannot be written yet and are reported;
   * early setting: adjuvant / neoadjuvant / early-stage / post-chemoradiation
     indications are never the mapping (PRECISION 1 enrols metastatic disease).
   The candidates that agree on therapy, tumour and biomarker and are not early are
   the rule's mapping.  A rule without a mapping fails.
3. Line of therapy, on the mapping as a whole: the rule's `require` is evaluated on
   small patient histories (previous lines 0-3, up to three previous drugs among the
   drugs the rule names and one representative of each drug class the labels name);
   the label wording is read into the same model (first line; after a prior line,
   optionally of named drug classes; maintenance after the first line; not
   previously treated with a class).  The rule fails if it accepts a history no
   mapped label accepts (broader), or rejects a history an exactly-mapped label
   accepts (narrower).  README conventions built in: adjuvant endocrine therapy
   counts as a previous endocrine therapy in breast cancer, so labels requiring an
   endocrine therapy do not constrain `lines`; "immunotherapy and/or platinum"
   labels only need a previous line; requirements qualified by "unless …" are
   clinical judgement and are not checked; a CDK4/6 inhibitor implies endocrine
   therapy; at `lines 0` only (neo)adjuvant-type drugs (endocrine, CDK4/6, anti-HER2,
   chemotherapy) can have been given.
4. `tests/rules/ema_exceptions.tsv` (rule, EMA indication id, field, reason) waives
   a reviewed mismatch: field tumour, biomarker or line waives that field for the
   pair; field therapy overrides the drug match of the pair (adds a candidate the
   drugs do not match, e.g. a record naming the wrong drug, or removes one); rule
   `-` with field not_encoded gives the reason an indication is not encoded.  Every
   exception must be used, or it fails.
5. Every EMA indication with a biomarker is either encoded (in some rule's mapping)
   or not encoded for a reason: haematological, early setting, withdrawn (document
   deprecated), protein-expression biomarker ("needs protein biomarker atoms (issue 15
   item 4)"), receptor status only, driver-negative population, or a reviewed reason
   in the exceptions table.  Anything else fails.  The list is printed, and every
   not-encoded indication id must appear in the "EMA indications not encoded"
   section of rules/precision1/README.md (and every id listed there must be not
   encoded).

Output: one line per failure (`FAIL: …`), a summary, the not-encoded report, and a
final line `N passed, N failed`.  Exit status 1 on any failure.
"""

import itertools
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

DATA_REL = os.path.join("..", "shared", "data", "moalmanac", "db2_referenced_2026-05-15")
EXCEPTIONS_REL = os.path.join("tests", "rules", "ema_exceptions.tsv")
README_REL = os.path.join("rules", "precision1", "README.md")
README_SECTION = "## EMA indications not encoded"

# ---------------------------------------------------------------------------------
# Drug vocabulary
# ---------------------------------------------------------------------------------

DRUG_CLASSES = {
    "platinum": ["carboplatin", "cisplatin", "oxaliplatin"],
    "fluoropyrimidine": ["fluorouracil", "capecitabine", "tegafur"],
    "taxane": ["docetaxel", "paclitaxel"],
    "anthracycline": ["doxorubicin", "epirubicin"],
    "oxaliplatin": ["oxaliplatin"],
    "irinotecan": ["irinotecan"],
    "trastuzumab": ["trastuzumab"],
    "anti_her2": ["trastuzumab", "pertuzumab", "trastuzumab emtansine",
                  "trastuzumab deruxtecan", "lapatinib", "tucatinib", "neratinib"],
    "endocrine": ["letrozole", "anastrozole", "exemestane", "tamoxifen", "fulvestrant"],
    "cdk46": ["palbociclib", "ribociclib", "abemaciclib"],
    "pd1": ["pembrolizumab", "nivolumab", "atezolizumab", "avelumab", "durvalumab",
            "dostarlimab", "cemiplimab"],
    "nha": ["abiraterone", "enzalutamide", "apalutamide", "darolutamide"],
    "egfr_tki": ["osimertinib", "gefitinib", "erlotinib", "afatinib", "dacomitinib",
                 "lazertinib"],
    "alk_tki": ["alectinib", "crizotinib", "brigatinib", "ceritinib", "lorlatinib",
                "ensartinib"],
    "crizotinib": ["crizotinib"],
    "alectinib": ["alectinib"],
    "ceritinib": ["ceritinib"],
    "ros1_tki": ["crizotinib", "entrectinib", "ceritinib", "lorlatinib", "repotrectinib"],
    "ret_inhibitor": ["selpercatinib", "pralsetinib"],
    "ntrk_inhibitor": ["larotrectinib", "entrectinib", "repotrectinib"],
    "bevacizumab": ["bevacizumab"],
    "chemotherapy": ["carboplatin", "cisplatin", "pemetrexed", "docetaxel", "paclitaxel",
                     "gemcitabine", "vinorelbine", "oxaliplatin", "fluorouracil",
                     "capecitabine", "irinotecan", "doxorubicin", "epirubicin"],
}
# One representative drug per class for the small patient histories (the class's
# first drug); a rule naming other drugs of the class adds them itself.
CLASS_REPRESENTATIVE = {c: d[0] for c, d in DRUG_CLASSES.items()}
# (Neo)adjuvant-type drugs: the only ones a patient with `lines 0` can have had.
ADJUVANT_TYPE = set(DRUG_CLASSES["endocrine"] + DRUG_CLASSES["cdk46"] + DRUG_CLASSES["anti_her2"]
                    + DRUG_CLASSES["chemotherapy"])

# Label phrases naming previous drug classes (order matters: specific first).
CLASS_PHRASES = [
    (r"immunotherapy and/or platinum", None),  # README: only a previous line
    (r"PD-1 or PD-L1|PD-\(?L\)?1", "pd1"),
    (r"immunotherapy", "pd1"),
    (r"new hormonal agent", "nha"),
    (r"CDK ?4/6", "cdk46"),
    (r"EGFR tyrosine kinase inhibitor|EGFR TKI", "egfr_tki"),
    (r"ROS1 inhibitor", "ros1_tki"),
    (r"RET inhibitor", "ret_inhibitor"),
    (r"NTRK inhibitor", "ntrk_inhibitor"),
    (r"ALK (tyrosine kinase )?inhibitor|ALK TKI", "alk_tki"),
    (r"crizotinib", "crizotinib"),
    (r"alectinib", "alectinib"),
    (r"ceritinib", "ceritinib"),
    (r"anti-HER2", "anti_her2"),
    (r"trastuzumab", "trastuzumab"),
    (r"endocrine|hormonal therapy|antiestrogen", "endocrine"),
    (r"fluoropyrimidine", "fluoropyrimidine"),
    (r"oxaliplatin", "oxaliplatin"),
    (r"irinotecan", "irinotecan"),
    (r"platinum", "platinum"),
    (r"taxane", "taxane"),
    (r"anthracycline", "anthracycline"),
    (r"bevacizumab", "bevacizumab"),
    (r"chemotherapy", "chemotherapy"),
]

SUPPORTIVE = {"prednisolone", "prednisone", "corticosteroid"}
FOLD = {"carboplatin": "platinum", "cisplatin": "platinum",
        "fluorouracil": "fluoropyrimidine", "capecitabine": "fluoropyrimidine"}
DRUG_ALIASES = {"abiraterone acetate": "abiraterone", "5-fluorouracil": "fluorouracil"}


def norm_drug(name):
    n = name.strip().lower()
    return DRUG_ALIASES.get(n, n)


def fold(drugs):
    return frozenset(FOLD.get(d, d) for d in drugs if d not in SUPPORTIVE)


def therapy_drugs(therapy):
    """'imatinib 800 mg daily' -> {'imatinib'}; 'a + b' -> {'a', 'b'}."""
    out = set()
    for part in therapy.split(" + "):
        words = []
        for w in part.strip().lower().split():
            if re.match(r"^\d", w):
                break
            words.append(w)
        out.add(" ".join(words))
    return out


# ---------------------------------------------------------------------------------
# Reading the MOAlmanac records
# ---------------------------------------------------------------------------------

class Indication:
    def __init__(self, rec):
        self.id = rec["id"]
        self.text = rec["indication"] or ""
        self.date = rec.get("initial_approval_date")
        self.doc_id = rec.get("document_id")
        self.regimens = []       # list of frozenset of drug names (lower case)
        self.facts = []          # biomarker facts (dicts)
        self.codes = set()       # OncoTree codes, or "SOLID", or "ncit:..."
        self.solid = []          # solid_tumor flags of the diseases
        self.epar = None
        self.deprecated = False

    def short(self):
        return "%s (%s, EC %s)" % (self.id, self.epar or "?", self.date)


def load_moalmanac(data_dir):
    def load(name):
        with open(os.path.join(data_dir, name + ".json"), encoding="utf-8") as f:
            return json.load(f)

    indications = {r["id"]: Indication(r) for r in load("indications")
                   if r["id"].startswith("ind:ema.")}
    props = {p["id"]: p for p in load("propositions")}
    biomarkers = {b["id"]: b for b in load("biomarkers")}
    diseases = {d["id"]: d for d in load("diseases")}
    therapies = {t["id"]: t for t in load("therapies")}
    groups = {g["id"]: g for g in load("therapy_groups")}
    genes = {g["id"]: g["name"] for g in load("genes")}
    documents = {d["id"]: d for d in load("documents")}

    partner = set()
    for t in therapies.values():
        for e in t.get("extensions", []):
            if e["name"] == "therapy_type" and e["value"] in ("Chemotherapy", "Hormone therapy"):
                partner.add(norm_drug(t["name"]))
    vocabulary = {norm_drug(t["name"]) for t in therapies.values()}

    for s in load("statements"):
        ind = indications.get(s.get("indication_id"))
        if ind is None:
            continue
        p = props[s["proposition_id"]]
        if p.get("therapy_id") is not None:
            reg = frozenset([norm_drug(therapies[p["therapy_id"]]["name"])])
        else:
            reg = frozenset(norm_drug(therapies[t]["name"])
                            for t in groups[p["therapy_group_id"]]["therapies"])
        if reg not in ind.regimens:
            ind.regimens.append(reg)
        for b in p.get("biomarkers", []):
            f = biomarker_fact(biomarkers[b], genes)
            if f not in ind.facts:
                ind.facts.append(f)
        d = diseases[p["conditionQualifier_id"]]
        code = d.get("primary_coding_id") or ""
        if code.startswith("oncotree:"):
            ind.codes.add(code.split(":", 1)[1])
        elif code == "ncit:C132146":  # Any solid tumor
            ind.codes.add("SOLID")
        else:
            ind.codes.add(code or d["name"])
        solid = [e["value"] for e in d.get("extensions", []) if e["name"] == "solid_tumor"]
        ind.solid.append(bool(solid and solid[0]))
    for ind in indications.values():
        doc = documents.get(ind.doc_id) or {}
        # EPAR name: the document's brand, unless the document record names another
        # product than the indication id (a data error), then the id's product.
        slug = ind.id.split(".", 1)[1].split(":")[0]
        brand = doc.get("drug_name_brand") or ""
        if brand.lower().replace(" ", "-") != slug:
            brand = slug.replace("-", " ").title()
        ind.epar = "EMA EPAR " + brand
        ind.deprecated = doc.get("status") == "Deprecated"
        # Chemotherapy partners named in the text but missing from a regimen.
        named = text_partners(ind.text, partner)
        regs = []
        for r in ind.regimens:
            if any(d in partner for d in r):
                r = frozenset(r | named)
            regs.append(r)
        ind.regimens = regs
    return indications, partner, vocabulary


def text_partners(text, partner):
    t = text.lower()
    out = set()
    for d in partner:
        if re.search(r"\b" + re.escape(d) + r"\b", t):
            out.add(d)
    if re.search(r"\bplatinum\b", t):
        out.add("carboplatin")
    if re.search(r"fluoropyrimidine|5-fu\b|5-fluorouracil", t):
        out.add("fluorouracil")
    if "folfox" in t:
        out |= {"fluorouracil", "oxaliplatin"}
    if "folfiri" in t:
        out |= {"fluorouracil", "irinotecan"}
    return out


def biomarker_fact(b, genes):
    ext = {e["name"]: e["value"] for e in b.get("extensions", [])}
    btype = ext.get("biomarker_type")
    gl = [genes[g] for g in b.get("genes", [])]
    name = b["name"]
    f = {"name": name}
    if btype in ("Somatic Variant", "Germline Variant"):
        f["origin"] = "germline" if btype == "Germline Variant" else "somatic"
        f["gene"] = gl[0]
        if ext.get("protein_change"):
            f["kind"] = "protein"
            f["change"] = ext["protein_change"]
        elif ext.get("exon") is not None:
            f["kind"] = "exon"
            f["exon"] = int(ext["exon"])
            f["annotation"] = ext.get("variant_annotation")
        elif ext.get("variant_annotation"):
            f["kind"] = "class"
            f["annotation"] = ext["variant_annotation"]
        else:
            f["kind"] = "any"
    elif btype == "Rearrangement":
        f["kind"] = "fusion"
        f["genes"] = gl
    elif btype == "Copy Number":
        f["kind"] = "amp" if ext.get("direction") == "Amplification" else "del"
        f["gene"] = gl[0]
    elif btype == "Wild type":
        f["kind"] = "wt"
        f["gene"] = gl[0]
    elif btype == "Microsatellite Stability":
        f["kind"] = "marker"
        f["marker"] = "MSI"
        f["value"] = "high" if "high" in (ext.get("status") or "").lower() else ext.get("status")
    elif btype == "Mismatch Repair":
        f["kind"] = "marker"
        f["marker"] = "MMR"
        f["value"] = "deficient" if ext.get("status") == "Deficient" else "proficient"
    elif btype == "Homologous Recombination":
        f["kind"] = "marker"
        f["marker"] = "HRD"
        f["value"] = "positive"
    elif btype == "Tumor mutational burden":
        f["kind"] = "marker"
        f["marker"] = "TMB"
        f["value"] = "high"
    elif btype == "Protein expression":
        marker = ext.get("marker") or ""
        value = str(ext.get("value") or "").lower()
        if marker.startswith("Estrogen receptor") or name.startswith("ER "):
            f.update(kind="marker", marker="ER", value=value)
        elif marker.startswith("Progesterone receptor") or name.startswith("PR "):
            f.update(kind="marker", marker="PR", value=value)
        elif name == "HER2-positive":
            f.update(kind="amp", gene="ERBB2", via="HER2-positive")
        elif name == "HER2-negative":
            f.update(kind="negamp", gene="ERBB2")
        elif name in ("HER2-low", "HER2-ultralow"):
            f.update(kind="pexpr", marker="HER2", value=name.split("-")[1])
        elif marker == "PD-L1":
            unit = ext.get("unit") or ""
            score = ("CPS" if "CPS" in unit else "TAP" if "TAP" in unit else
                     "IC" if "TIIC" in unit else "TPS")
            v = float(ext.get("value"))
            f.update(kind="pexpr", marker="PDL1", score=score, op=ext.get("equality"),
                     value=v if score == "CPS" else round(v * 100, 6))
        elif marker in ("CLDN18.2", "c-Met"):
            f.update(kind="pexpr", marker="CLDN18" if marker == "CLDN18.2" else "MET",
                     score=None, op=ext.get("equality"), value=round(float(ext.get("value")) * 100, 6))
        else:
            f.update(kind="protein_expression")
    else:
        f["kind"] = "other"
    return f


def fact_text(f):
    return f["name"]


# ---------------------------------------------------------------------------------
# OncoTree
# ---------------------------------------------------------------------------------

def load_oncotree(reference_dir):
    paths = {}
    for fn in sorted(os.listdir(reference_dir)):
        if fn.startswith("oncotree_") and fn.endswith(".tsv"):
            with open(os.path.join(reference_dir, fn), encoding="utf-8") as f:
                header = f.readline().rstrip("\n").split("\t")
                ci, pi = header.index("code"), header.index("path")
                for line in f:
                    cols = line.rstrip("\n").split("\t")
                    paths[cols[ci]] = cols[pi].split("/")
    return paths


def is_solid(code, paths):
    p = paths.get(code)
    return p is not None and "LYMPH" not in p and "MYELOID" not in p


def overlaps(a, b, paths):
    if a == b:
        return True
    if a == "SOLID":
        return b == "SOLID" or is_solid(b, paths)
    if b == "SOLID":
        return is_solid(a, paths)
    pa, pb = paths.get(a), paths.get(b)
    if pa is None or pb is None:
        return False
    return a in pb or b in pa


def within(a, b, paths):
    """a is b or a descendant of b."""
    if a == b:
        return True
    if b == "SOLID":
        return is_solid(a, paths)
    pa = paths.get(a)
    return pa is not None and b in pa


# ---------------------------------------------------------------------------------
# Rule `when` expressions
# ---------------------------------------------------------------------------------

KEYWORDS = {"and", "or", "not", "somatic", "germline", "tested", "biomarker", "excluding",
            "exon", "codon", "with", "MSI", "TMB", "HRD", "dMMR", "pMMR", "MSI-H", "IHC", "ISH",
            "HER2-positive", "HER2-low", "HER2-ultralow", "HER2-negative"}
PDL1_SCORES = {"TPS", "CPS", "TC", "IC", "TAP"}
FEATURE_WORDS = {"mutation", "missense", "truncating", "inframe", "splice", "oncogenic",
                 "amplification", "deletion", "fusion", "wildtype", "exon", "codon"}


def tokenize(text):
    return re.findall(r'"[^"]*"|::|[()|,]|>=|<=|!=|[<>=]|[^\s()|,<>=!"]+', text)


class WhenParser:
    """Parses the normalised `when` text of `actionable rules` into literals."""

    def __init__(self, defines):
        self.defines = defines
        self.cache = {}

    def literals(self, text, negated=False):
        toks = tokenize(text)
        self.toks, self.i = toks, 0
        ast = self.parse_or()
        if self.i != len(self.toks):
            raise ValueError("cannot parse when %r at %r" % (text, self.toks[self.i:]))
        out = []
        self.collect(ast, negated, out)
        return out

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse_or(self):
        items = [self.parse_and()]
        while self.peek() == "or":
            self.take()
            items.append(self.parse_and())
        return ("or", items) if len(items) > 1 else items[0]

    def parse_and(self):
        items = [self.parse_unary()]
        while self.peek() == "and":
            self.take()
            items.append(self.parse_unary())
        return ("and", items) if len(items) > 1 else items[0]

    def parse_unary(self):
        if self.peek() == "not":
            self.take()
            return ("not", self.parse_unary())
        return self.parse_primary()

    def is_gene(self, t):
        return t is not None and re.match(r"^[A-Z0-9][A-Z0-9-]*$", t) and t not in KEYWORDS \
            and t not in self.defines

    def parse_primary(self):
        t = self.peek()
        if t == "(":
            if self.is_gene(self.peek(1)) and self.peek(2) in ("|", ")"):
                return self.parse_atom(None)
            self.take()
            e = self.parse_or()
            assert self.take() == ")"
            return e
        if t in ("somatic", "germline"):
            self.take()
            return self.parse_atom(t)
        if t in self.defines:
            self.take()
            return ("define", t)
        if t == "MSI" or t == "MSI-H":
            self.take()
            v = "high" if t == "MSI-H" else self.take()
            return ("marker", "MSI", v)
        if t in ("dMMR", "pMMR"):
            self.take()
            return ("marker", "MMR", "deficient" if t == "dMMR" else "proficient")
        if t == "HRD":
            self.take()
            return ("marker", "HRD", self.take())
        if t == "TMB":
            self.take()
            op, v = self.take(), self.take()
            return ("marker", "TMB", op + v)
        if t == "biomarker":
            self.take()
            name, op, v = self.take(), self.take(), self.take()
            return ("marker", name, (v if op == "=" else op + v).lower())
        # Protein atoms (issue 15 item 4): HER2-low, PDL1 CPS >= 5, CLDN18 IHC >= 75 …
        if t in ("HER2-positive", "HER2-low", "HER2-ultralow", "HER2-negative"):
            self.take()
            return ("pexpr", "HER2", None, "=", t.split("-")[1])
        if t in ("PDL1", "PD-L1") and self.peek(1) in PDL1_SCORES:
            self.take()
            score = self.take()
            op, v = self.take(), float(self.take())
            self.skip_assay()
            return ("pexpr", "PDL1", "TPS" if score == "TC" else score, op, v)
        if self.peek(1) in ("IHC", "ISH"):
            name, method = self.take(), self.take()
            if self.peek() in (">=", "<=", ">", "<", "=", "!="):
                op, v = self.take(), float(self.take())
            else:
                op, v = "=", [self.take()]
                while self.peek() == "|":
                    self.take()
                    v.append(self.take())
            self.skip_assay()
            return ("pexpr", name, method, op, v)
        if t == "tested":
            self.take()
            self.take()
            while self.peek() == ",":
                self.take()
                self.take()
            return ("tested",)
        if t in ("age", "lines", "ecog", "sex", "stage", "prior"):
            raise ValueError("clinical term in when: %r" % t)
        return self.parse_atom(None)

    def skip_assay(self):
        if self.peek() == "assay":
            self.take()
            self.take()

    def parse_atom(self, origin):
        genes = []
        if self.peek() == "(":
            self.take()
            genes.append(self.take())
            while self.peek() == "|":
                self.take()
                genes.append(self.take())
            assert self.take() == ")"
        else:
            g = self.take()
            if self.peek() == "::":  # A::B fusion
                self.take()
                g2 = self.take()
                assert self.take() == "fusion"
                return ("atom", origin, [g2], {"kind": "fusion", "partner": g})
            genes.append(g)
        feat = self.parse_feature()
        return ("atom", origin, genes, feat)

    def parse_feature(self):
        t = self.take()
        f = {}
        if t.startswith("p.") or re.match(r"^[A-Z]\d+[A-Z*]$", t):
            changes = [t]
            while self.peek() == "|" and (self.peek(1) or "").startswith("p."):
                self.take()
                changes.append(self.take())
            f = {"kind": "protein", "changes": [c if c.startswith("p.") else "p." + c
                                                for c in changes]}
        elif t == "codon":
            codons = [int(self.take())]
            while self.peek() == "," and re.match(r"^\d+$", self.peek(1) or ""):
                self.take()
                codons.append(int(self.take()))
            f = {"kind": "protein", "changes": ["p.?%d" % c for c in codons]}
        elif t == "exon":
            rng = self.take()
            cls = self.take()
            f = {"kind": "exon", "exon": rng, "class": cls}
        elif t in ("mutation", "missense", "truncating", "inframe", "splice", "oncogenic"):
            f = {"kind": "class", "class": t}
        elif t == "amplification":
            f = {"kind": "amp"}
            if self.peek() == "(":
                while self.take() != ")":
                    pass
        elif t == "deletion":
            f = {"kind": "del"}
        elif t == "fusion":
            f = {"kind": "fusion"}
            if self.peek() == "with":
                self.take()
                f["partner"] = self.take()
        elif t == "wildtype":
            f = {"kind": "wildtype"}
        else:
            raise ValueError("unknown feature %r" % t)
        if self.peek() == "excluding":
            self.take()
            ex = [self.take()]
            while self.peek() == ",":
                self.take()
                ex.append(self.take())
            f["excluding"] = ex
        return f

    def collect(self, ast, neg, out):
        k = ast[0]
        if k in ("or", "and"):
            for a in ast[1]:
                self.collect(a, neg, out)
        elif k == "not":
            self.collect(ast[1], not neg, out)
        elif k == "define":
            name = ast[1]
            sub = WhenParser(self.defines)
            out.extend(sub.literals(self.defines[name], neg))
        elif k == "atom":
            _, origin, genes, feat = ast
            for g in genes:
                out.append({"type": "gene", "gene": g, "origin": origin, "neg": neg, **feat})
        elif k == "marker":
            out.append({"type": "marker", "marker": ast[1], "value": ast[2], "neg": neg})
        elif k == "pexpr":
            out.append({"type": "pexpr", "marker": ast[1], "score": ast[2], "op": ast[3],
                        "value": ast[4], "neg": neg})


def codon_of(change):
    m = re.match(r"^p\.\??[A-Z]?(\d+)", change)
    return int(m.group(1)) if m else None


def is_codon_level(change):
    return re.match(r"^p\.(\?|[A-Z])\d+$", change) is not None


EXON_CLASS = {"Deletion": {"deletion", "skipping"}, "Insertion": {"insertion"},
              "Splice Site": {"skipping", "splice"}}


def fact_covered_by(f, lit):
    """Does rule literal `lit` cover indication fact `f`?"""
    k = f["kind"]
    if lit["type"] == "pexpr":  # a protein atom covers the same protein label biomarker
        if lit["neg"]:
            return False
        if lit["marker"] == "HER2" and lit["score"] is None:
            status = lit["value"]
            return (k == "pexpr" and f["marker"] == "HER2" and f["value"] == status) or \
                (k == "amp" and f.get("via") == "HER2-positive" and status == "positive") or \
                (k == "negamp" and status == "negative")
        if k != "pexpr" or f["marker"] != lit["marker"]:
            return False
        score = lit["score"] if lit["marker"] == "PDL1" else None
        return score == f.get("score") and f.get("op") == lit["op"] and \
            abs(float(f["value"]) - float(lit["value"])) < 1e-6
    if k == "pexpr":
        return False
    if lit["type"] == "marker":
        if k != "marker" or lit["neg"]:
            return False
        if f["marker"] in ("ER", "PR"):
            return lit["marker"] == f["marker"] and lit["value"] == f["value"]
        return lit["marker"] == f["marker"] and (f["marker"] == "TMB" or lit["value"] == f["value"])
    g = lit["gene"]
    if k == "wt":
        return lit["neg"] and g == f["gene"] or (lit["kind"] == "wildtype" and g == f["gene"])
    if k == "negamp":
        return lit["neg"] and g == f["gene"] and lit["kind"] == "amp"
    if lit["neg"] or lit["kind"] == "wildtype":
        return False
    if k == "fusion":
        return lit["kind"] == "fusion" and g in f["genes"]
    if f.get("gene") != g:
        return False
    if k == "amp":
        return lit["kind"] == "amp"
    if k == "del":
        return lit["kind"] == "del"
    if lit["kind"] in ("fusion", "amp", "del"):
        return False
    if lit.get("origin") and f.get("origin") and lit["origin"] != f["origin"]:
        return False
    if k == "any":
        return True
    if k == "class":
        return lit["kind"] == "class" and lit["class"] in ("oncogenic", "mutation", "truncating",
                                                            "splice")
    if k == "protein":
        if lit["kind"] == "class":
            return lit["class"] in ("oncogenic", "mutation", "missense")
        if lit["kind"] == "protein":
            c = codon_of(f["change"])
            return any(ch == f["change"] or (is_codon_level(ch) and codon_of(ch) == c)
                       for ch in lit["changes"])
        return False
    if k == "exon":
        if lit["kind"] == "exon":
            return str(f["exon"]) == lit["exon"] and \
                lit["class"] in EXON_CLASS.get(f.get("annotation"), {lit["class"]})
        return lit["kind"] == "class" and lit["class"] in ("oncogenic", "mutation")
    return False


def lit_text(l):
    if l["type"] == "pexpr":
        if l["score"] is None and l["marker"] == "HER2":
            return ("not " if l["neg"] else "") + "HER2-" + l["value"]
        return ("not " if l["neg"] else "") + "%s %s %s %s" % (l["marker"], l["score"], l["op"], l["value"])
    if l["type"] == "marker":
        return ("not " if l["neg"] else "") + "%s %s" % (l["marker"], l["value"])
    s = ("not " if l["neg"] else "") + (l["origin"] + " " if l.get("origin") else "") + l["gene"]
    k = l["kind"]
    if k == "protein":
        s += " " + " | ".join(l["changes"])
    elif k == "exon":
        s += " exon %s %s" % (l["exon"], l["class"])
    elif k == "class":
        s += " " + l["class"]
    else:
        s += " " + {"amp": "amplification", "del": "deletion"}.get(k, k)
    return s


def check_biomarker(lits, ind):
    """Returns a list of mismatch strings (empty: agree)."""
    problems = []
    facts = [f for f in ind.facts if f["kind"] != "other"]
    if not re.search(r"hormone receptor|\bHR\)?-positive|progesterone", ind.text, re.I):
        # The label names ER alone; the records add PR-positive variants of "HR-positive".
        facts = [f for f in facts if not (f["kind"] == "marker" and f["marker"] == "PR")]
    for f in facts:
        if f["kind"] == "protein_expression":
            problems.append("label biomarker %r is a protein-expression test the rule "
                            "language cannot state" % fact_text(f))
            continue
        if not any(fact_covered_by(f, l) for l in lits):
            problems.append("label biomarker %r is not in the rule" % fact_text(f))
    for l in lits:
        if l["type"] in ("marker", "pexpr") and l["neg"]:
            continue
        if not any(fact_covered_by(f, l) for f in facts):
            problems.append("rule alteration %r is not in the label" % lit_text(l))
    # Origin stated by the label text.
    t = ind.text.lower()
    gl = [l for l in lits if l["type"] == "gene" and not l["neg"]]
    if "germline and/or somatic" in t:
        for l in gl:
            if l.get("origin"):
                problems.append("label says germline and/or somatic; rule atom %r has an "
                                "origin" % lit_text(l))
    elif re.search(r"\bgermline\b", t):
        for l in gl:
            if l.get("origin") != "germline" and any(
                    f.get("gene") == l["gene"] and f.get("origin") == "germline" for f in facts):
                problems.append("label says germline; rule atom %r accepts somatic "
                                "findings" % lit_text(l))
    # A label naming one change at a codon needs that change, not the codon.
    for l in gl:
        if l["kind"] != "protein":
            continue
        for ch in l["changes"]:
            if not is_codon_level(ch) or ch.startswith("p.?"):
                continue
            codon = ch[2:]
            if re.search(r"\b%s[A-Z]\b" % re.escape(codon), ind.text) and \
                    not re.search(r"\b%s\b(?![A-Z])" % re.escape(codon), ind.text):
                problems.append("label names a single change at %s; rule accepts any "
                                "change at the codon (%s)" % (codon, lit_text(l)))
    return problems


# ---------------------------------------------------------------------------------
# Tumours
# ---------------------------------------------------------------------------------

def check_tumour(rule, ind, paths):
    inc = rule["tumour"]["include"]
    exc = rule["tumour"]["except"]
    problems = []
    codes = sorted(ind.codes)
    for r in inc:
        if not any(overlaps(r, d, paths) for d in codes):
            problems.append("rule tumour %s is not among the label's diseases %s" %
                            (r, ", ".join(codes)))
    for d in codes:
        if d not in paths and d != "SOLID":
            problems.append("label disease %s has no OncoTree code" % d)
            continue
        if any(within(d, x, paths) for x in exc):
            continue
        if not any(overlaps(d, r, paths) for r in inc):
            problems.append("label disease %s is not in the rule's tumours %s" %
                            (d, ", ".join(inc)))
    if re.search(r"non-squamous", ind.text, re.I) and "LUSC" not in exc:
        problems.append("label says non-squamous; the rule does not except LUSC")
    return problems


# ---------------------------------------------------------------------------------
# Line of therapy
# ---------------------------------------------------------------------------------

def early_setting(text):
    return bool(re.search(
        r"\b(neo)?adjuvant treatment\b|\bearly breast cancer\b|\bearly-stage\b|\bEBC\b|"
        r"\bresectable\b|following platinum-based chemoradiation|following complete "
        r"(tumour )?resection|after undergoing radical resection|extended adjuvant",
        text))


LATER_TRIGGERS = (
    r"previously treated with|previously treated\b|previously received|who have received|"
    r"received prior|after at least|after (prior|previous)|after failure of|"
    r"after disease progression following|progressed (on|after|following)|"
    r"(disease )?progression (on|after|following)|have progressed|following prior|"
    r"following recurrence or progression|failed|relapse on or after|second-line|"
    r"require systemic therapy following|in relapse")
NAIVE_TRIGGERS = r"not previously treated with|previously not treated with|have not received a prior"
FIRST_TRIGGERS = (r"first[- _]line|previously untreated|not received (prior )?(chemotherapy|"
                  r"anti-cancer treatment|previous anti-HER2 therapy or chemotherapy)|"
                  r"initial endocrine-based therapy|newly diagnosed|primary advanced")
EARLY_RELAPSE = (r"recurrence (on|during) or within \w+ (\(\w+\) )?months of completing "
                 r"adjuvant")
CLAUSE_END = r"[.;:]|\bwho\b|\bwhose\b|\band have\b|\bwhen\b|\bunless\b"


def classes_in(clause):
    """Previous-drug requirement of a label clause: a list of alternatives (OR), each a
    set of drug classes (AND).  [] = no class named (any previous systemic therapy)."""
    c = re.sub(r"PD-1 or PD-L1", "PD-(L)1", clause)
    c = re.sub(r"with or without [\w-]+", "", c)
    c = re.sub(r"\(excluding [^)]*\)", "", c)
    if re.search(r"immunotherapy and/or platinum", c, re.I):
        return []  # README: "immunotherapy and/or platinum" labels need a previous line only
    alts = []
    for group in re.split(r"\band/or\b|\bor\b", c):
        found = set()
        g = group
        for pat, cls in CLASS_PHRASES:
            if cls and re.search(pat, g, re.I):
                found.add(cls)
                g = re.sub(pat, "", g, flags=re.I)
        if "chemotherapy" in found and len(found) > 1:
            found.discard("chemotherapy")
        if found:
            alts.append(frozenset(found))
    return alts


def clause_after(text, m):
    rest = text[m.end():]
    e = re.search(CLAUSE_END, rest)
    clause = rest[: e.start()] if e else rest
    soft = bool(e and e.group(0) == "unless")
    return clause, soft


class LineModel:
    """The label's line of therapy: first line and / or later lines (each with its own
    previous-drug requirements), maintenance after the first line, classes the
    patient must not have had."""

    def __init__(self, ind):
        t = ind.text
        # "first-line treatment …, followed by maintenance" is a first-line label.
        self.maintenance = bool(re.search(r"\bmaintenance\b", t)) and \
            not re.search(r"followed by maintenance", t)
        self.first = False
        self.later = False
        self.min_lines = 1
        self.first_required = []   # AND over requirements; each a list of alternatives
        self.later_required = []
        self.naive = set()
        if self.maintenance:
            m = re.search(r"\bmaintenance\b", t)
            alts = classes_in(t[m.end():])
            if alts:
                self.later_required.append(alts)
            self.endocrine_context = False
            return
        for m in re.finditer(FIRST_TRIGGERS, t, re.I):
            pre = t[max(0, m.start() - 16):m.start()]
            if re.search(r"(received|following|completion of|after|on)\s+$", pre):
                continue  # "who have received first-line …": a previous line
            self.first = True
        m = re.search(EARLY_RELAPSE, t, re.I)
        if m:
            self.first = True  # relapse during / soon after adjuvant therapy: first line
            alts = classes_in(t[m.end():m.end() + 30])
            if alts:
                self.first_required.append(alts)
        for m in re.finditer(NAIVE_TRIGGERS, t, re.I):
            clause, _ = clause_after(t, m)
            for alt in classes_in(clause):
                self.naive |= alt
        m = re.search(r"\((EGFR)\) TKI-naive|\b(EGFR) TKI-naive", t)
        if m:
            self.naive.add("egfr_tki")
        for m in re.finditer(LATER_TRIGGERS, t, re.I):
            pre = t[max(0, m.start() - 12):m.start()]
            sentence = re.split(r"\.\s+", t[:m.start()])[-1]
            if re.search(r"\bnot\s+$", pre) or sentence.startswith("Patients"):
                continue  # "not previously treated"; "Patients with … should …" (a subgroup
                #           condition or a recommendation, clinical judgement)
            clause, soft = clause_after(t, m)
            if soft:
                continue  # "… unless not suitable": clinical judgement (README)
            self.later = True
            if re.search(r"at least (two|2)\b", t[m.start():m.start() + 60]):
                self.min_lines = 2
            alts = classes_in(clause)
            if alts:
                self.later_required.append(alts)
        # README: in breast cancer adjuvant endocrine therapy counts, so a label
        # requiring a previous endocrine therapy does not constrain `lines`.
        self.endocrine_context = any("endocrine" in a for req in self.later_required
                                     for a in req)

    @staticmethod
    def satisfied(reqs, have):
        return all(any(alt <= have for alt in req) for req in reqs)

    def accepts(self, lines, priors, classes_of):
        have = set()
        for d in priors:
            have |= classes_of.get(d, set())
        if "cdk46" in have:
            have.add("endocrine")  # CDK4/6 inhibitors are given with endocrine therapy
        if self.naive & have:
            return False
        if self.maintenance:
            return lines == 1 and self.satisfied(self.later_required, have)
        if not self.first and not self.later:
            return True
        if self.first and lines == 0 and self.satisfied(self.first_required, have):
            return True
        if self.later and (lines >= self.min_lines or self.endocrine_context):
            return self.satisfied(self.later_required, have)
        return False

    def describe(self):
        parts = []
        req = lambda rs: " and ".join(" or ".join("+".join(sorted(a)) for a in r) for r in rs)
        if self.maintenance:
            parts.append("maintenance after the first line")
        if self.first:
            parts.append("first line" + (" after " + req(self.first_required)
                                         if self.first_required else ""))
        if self.later:
            parts.append("after >= %d line(s)" % self.min_lines +
                         (" including " + req(self.later_required) if self.later_required
                          else ""))
        if self.maintenance and self.later_required:
            parts.append("after " + req(self.later_required))
        if not parts:
            parts.append("any line")
        if self.naive:
            parts.append("not after " + "/".join(sorted(self.naive)))
        return "; ".join(parts)


def tokenize_require(text):
    return re.findall(r'"[^"]*"|>=|<=|!=|[<>=()]|[^\s()<>=!"]+', text)


def parse_require(text):
    toks = tokenize_require(text)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        t = toks[pos[0]]
        pos[0] += 1
        return t

    def p_or():
        items = [p_and()]
        while peek() == "or":
            take()
            items.append(p_and())
        return ("or", items)

    def p_and():
        items = [p_un()]
        while peek() == "and":
            take()
            items.append(p_un())
        return ("and", items)

    def p_un():
        if peek() == "not":
            take()
            return ("not", p_un())
        if peek() == "(":
            take()
            e = p_or()
            assert take() == ")"
            return e
        t = take()
        if t == "prior":
            return ("prior", [norm_drug(x) for x in take().strip('"').split(" + ")])
        if t in ("lines", "age", "ecog", "stage", "sex"):
            op, v = take(), take()
            return ("cmp", t, op, v)
        raise ValueError("cannot parse require %r at %r" % (text, t))

    ast = p_or()
    if pos[0] != len(toks):
        raise ValueError("cannot parse require %r" % text)
    return ast


def eval_require(ast, lines, priors):
    k = ast[0]
    if k == "or":
        return any(eval_require(a, lines, priors) for a in ast[1])
    if k == "and":
        return all(eval_require(a, lines, priors) for a in ast[1])
    if k == "not":
        return not eval_require(ast[1], lines, priors)
    if k == "prior":
        return all(d in priors for d in ast[1])
    if k == "cmp":
        _, field, op, v = ast
        if field != "lines":
            return True  # age, ecog, sex, stage: not part of the line check
        v = float(v)
        return {"<=": lines <= v, ">=": lines >= v, "<": lines < v, ">": lines > v,
                "=": lines == v, "!=": lines != v}[op]
    raise ValueError(k)


def require_drugs(ast, out):
    if ast[0] in ("or", "and"):
        for a in ast[1]:
            require_drugs(a, out)
    elif ast[0] == "not":
        require_drugs(ast[1], out)
    elif ast[0] == "prior":
        out.update(ast[1])


CLASSES_OF = defaultdict(set)
for _c, _ds in DRUG_CLASSES.items():
    for _d in _ds:
        CLASSES_OF[_d].add(_c)


def check_lines(pair, group, line_models):
    """Line of therapy of one (rule, therapy) pair.

    pair / group members: dicts with "rule", "ast" (parsed require or None),
    "mapping" [(Indication, exact)].  The group is the pairs of the same therapy and
    the same `when` (e.g. a first-line and a later-line rule of one drug): a history is
    covered when some rule of the group accepts it.  Returns [(ind_id or None, text)]."""
    drugs = set()
    for q in group:
        if q["ast"]:
            require_drugs(q["ast"], drugs)
        for ind, _ in q["mapping"]:
            lm = line_models[ind.id]
            for req in lm.first_required + lm.later_required:
                for alt in req:
                    for c in alt:
                        drugs.add(CLASS_REPRESENTATIVE[c])
            for c in lm.naive:
                drugs.add(CLASS_REPRESENTATIVE[c])
    drugs = sorted(drugs)
    histories = []
    for lines in range(0, 4):
        for n in range(0, 4):
            for combo in itertools.combinations(drugs, n):
                if lines == 0 and not set(combo) <= ADJUVANT_TYPE:
                    continue
                histories.append((lines, frozenset(combo)))

    def rule_accepts(q, h):
        return eval_require(q["ast"], h[0], h[1]) if q["ast"] else True

    labels = {}
    for q in group:
        for ind, _ in q["mapping"]:
            labels[ind.id] = line_models[ind.id]
    problems = []
    for h in histories:
        if rule_accepts(pair, h) and not any(lm.accepts(h[0], h[1], CLASSES_OF)
                                             for lm in labels.values()):
            problems.append((None, "rule accepts lines %d, previous drugs {%s}, which no "
                             "mapped label accepts" % (h[0], ", ".join(sorted(h[1])))))
            break
    for ind, exact in pair["mapping"]:
        if not exact:
            continue
        lm = line_models[ind.id]
        covering = [q for q in group if any(i.id == ind.id for i, _ in q["mapping"])]
        for h in histories:
            if lm.accepts(h[0], h[1], CLASSES_OF) and not any(rule_accepts(q, h)
                                                              for q in covering):
                problems.append((ind.id, "label %s (%s) accepts lines %d, previous drugs "
                                 "{%s}; %s" % (ind.id, lm.describe(), h[0],
                                               ", ".join(sorted(h[1])),
                                               "no rule of this therapy does" if len(covering) > 1
                                               else "the rule does not")))
                break
    return problems


# ---------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------

class Result:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self):
        self.passed += 1

    def fail(self, msg):
        self.failed += 1
        print("FAIL: " + msg)


def load_exceptions(path, res):
    rows = []
    if not os.path.exists(path):
        res.fail("exceptions table %s is missing" % path)
        return rows
    with open(path, encoding="utf-8") as f:
        header = None
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                if cols[:4] != ["rule", "indication", "field", "reason"]:
                    res.fail("%s:%d: header must be rule, indication, field, reason" % (path, n))
                continue
            if len(cols) != 4 or not cols[3].strip():
                res.fail("%s:%d: needs 4 tab-separated columns with a reason" % (path, n))
                continue
            if cols[2] not in ("mapping", "tumour", "biomarker", "line", "not_encoded"):
                res.fail("%s:%d: unknown field %r" % (path, n, cols[2]))
                continue
            rows.append({"rule": cols[0], "ind": cols[1], "field": cols[2], "reason": cols[3],
                         "line": n, "used": False})
    return rows


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    report_md = mapping_json = None
    if "--report-markdown" in argv:
        report_md = argv[argv.index("--report-markdown") + 1]
        args.remove(report_md)
    if "--mapping-json" in argv:
        mapping_json = argv[argv.index("--mapping-json") + 1]
        args.remove(mapping_json)
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2])
        return 2
    binary, source = args[0], os.path.abspath(args[1])
    res = Result()

    data_dir = os.path.normpath(os.path.join(source, DATA_REL))
    if not os.path.isfile(os.path.join(data_dir, "indications.json")):
        res.fail("reference data missing: %s (the cross-check needs the MOAlmanac EMA "
                 "records; it does not skip)" % data_dir)
        print("%d passed, %d failed" % (res.passed, res.failed))
        return 1
    res.ok()

    reference = os.path.join(source, "rules", "reference")
    p = subprocess.run([binary, "--reference", reference, "rules", "--rules",
                        os.path.join(source, "rules", "precision1")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        res.fail("actionable rules failed (%d): %s" % (p.returncode, p.stderr.strip()))
        print("%d passed, %d failed" % (res.passed, res.failed))
        return 1
    defines, rules = {}, []
    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if d["kind"] == "define":
            defines[d["name"]] = d["text"]
        elif d["kind"] == "rule":
            rules.append(d)
    res.ok()

    indications, partner, _ = load_moalmanac(data_dir)
    paths = load_oncotree(reference)
    exceptions = load_exceptions(os.path.join(source, EXCEPTIONS_REL), res)
    exc_index = defaultdict(list)
    for e in exceptions:
        exc_index[(e["rule"], e["ind"], e["field"])].append(e)
    rule_names = {r["name"] for r in rules}
    for e in exceptions:
        if e["rule"] != "-" and e["rule"] not in rule_names:
            res.fail("exceptions line %d: no rule %r" % (e["line"], e["rule"]))
        if e["ind"] not in indications:
            res.fail("exceptions line %d: no EMA indication %r" % (e["line"], e["ind"]))

    def waived(rule, ind_id, field):
        rows = exc_index.get((rule, ind_id, field))
        if rows:
            for r in rows:
                r["used"] = True
            return True
        return False

    parser = WhenParser(defines)
    line_models = {i: LineModel(ind) for i, ind in indications.items()}
    encoded_by = defaultdict(list)  # ind id -> [(rule, therapy, exact)]
    mapped_rules = 0
    approved = [r for r in rules if r["class"] == "approved"]

    pairs = []
    for rule in approved:
        lits = parser.literals(rule["when"])
        for therapy in rule["therapies"]:
            drugs = therapy_drugs(therapy)
            fd = fold(drugs)
            cands = {}
            for ind in indications.values():
                exact = any(fold(reg) == fd for reg in ind.regimens)
                partial = not exact and not (drugs & partner) and any(
                    drugs < reg and (reg - drugs) <= (partner | SUPPORTIVE)
                    for reg in ind.regimens)
                over = exc_index.get((rule["name"], ind.id, "mapping"))
                if over:
                    for r in over:
                        r["used"] = True
                    if exact or partial:
                        continue          # reviewed: this pair is not a mapping
                    exact = True          # reviewed: a mapping the records' drugs miss
                if exact or partial:
                    cands[ind.id] = (ind, exact)
            label = "%s [%s]" % (rule["name"], therapy)
            if not cands:
                res.fail("%s: no EMA indication of this therapy in the records" % label)
                continue
            mapping, rejected = [], []
            for ind, exact in cands.values():
                probs = []
                if early_setting(ind.text):
                    rejected.append((ind, ["early setting (adjuvant / neoadjuvant / "
                                           "early-stage)"]))
                    continue
                t = check_tumour(rule, ind, paths)
                if t and not waived(rule["name"], ind.id, "tumour"):
                    probs += ["tumour: " + x for x in t]
                b = check_biomarker(lits, ind)
                if b and not waived(rule["name"], ind.id, "biomarker"):
                    probs += ["biomarker: " + x for x in b]
                if probs:
                    rejected.append((ind, probs))
                else:
                    mapping.append((ind, exact))
            if not mapping:
                msg = "%s: no EMA indication of this therapy agrees on tumour and biomarker" % label
                for ind, probs in sorted(rejected, key=lambda x: len(x[1]))[:3]:
                    msg += "\n    %s: %s" % (ind.short(), "; ".join(probs))
                res.fail(msg)
                continue
            pairs.append({"rule": rule, "therapy": therapy, "label": label,
                          "ast": parse_require(rule["require"]) if rule.get("require") else None,
                          "mapping": sorted(mapping, key=lambda x: x[0].id)})

    # A partial match (targeted drug alone vs. a regimen with chemotherapy) is dropped
    # when another rule names the regimen exactly (e.g. "osimertinib" vs.
    # "osimertinib + platinum + pemetrexed").
    exact_somewhere = {ind.id for q in pairs for ind, ex in q["mapping"] if ex}
    for pair in pairs:
        kept = [(i, ex) for i, ex in pair["mapping"] if ex or i.id not in exact_somewhere]
        pair["mapping"] = kept or pair["mapping"]

    for pair in pairs:
        rule = pair["rule"]
        group = [q for q in pairs if q["therapy"] == pair["therapy"]
                 and q["rule"]["when"] == rule["when"]]
        lp = check_lines(pair, group, line_models)
        unexplained = []
        for ind_id, prob in lp:
            if ind_id is None:
                if any(waived(rule["name"], i.id, "line") for i, _ in pair["mapping"]):
                    continue
            elif waived(rule["name"], ind_id, "line"):
                continue
            unexplained.append(prob)
        if unexplained:
            res.fail("%s: line of therapy disagrees with %s:\n    %s" % (
                pair["label"], ", ".join(i.id for i, _ in pair["mapping"]),
                "\n    ".join(unexplained)))
            continue
        res.ok()
        mapped_rules += 1
        for ind, exact in pair["mapping"]:
            encoded_by[ind.id].append((rule["name"], pair["therapy"], exact))

    # --- EMA biomarker-defined indications not encoded --------------------------
    not_encoded = []
    biomarker_defined = [i for i in indications.values() if i.facts]
    for ind in sorted(biomarker_defined, key=lambda i: i.id):
        if ind.id in encoded_by:
            res.ok()
            continue
        reason = None
        table = exc_index.get(("-", ind.id, "not_encoded"))
        kinds = {f["kind"] for f in ind.facts}
        positive_genomic = kinds & {"protein", "exon", "class", "any", "fusion", "amp", "del"}
        positive_genomic_real = [f for f in ind.facts if f["kind"] in positive_genomic
                                 and not f.get("via")]
        if table:
            for r in table:
                r["used"] = True
            reason = table[0]["reason"]
        elif ind.codes and all((c in paths and not is_solid(c, paths)) or
                               (c not in paths and c != "SOLID") for c in ind.codes) and \
                (not any(ind.solid) or all(c in paths for c in ind.codes)):
            reason = "haematological malignancy: PRECISION 1 covers solid tumours"
        elif ind.deprecated:
            reason = "withdrawn: the record's EMA product information is deprecated"
        elif early_setting(ind.text):
            reason = ("early-stage setting (adjuvant, neoadjuvant or after chemoradiation): "
                      "PRECISION 1 enrols advanced or metastatic disease")
        elif "protein_expression" in kinds or "pexpr" in kinds or any(f.get("via") for f in ind.facts):
            reason = ("protein biomarker (IHC / ISH) label not encoded yet: see the README's "
                      "\"Not encoded\" table")
        elif not positive_genomic_real and kinds <= {"marker", "negamp", "wt"} and \
                any(f["kind"] == "marker" and f["marker"] in ("ER", "PR") for f in ind.facts):
            reason = ("receptor status only (ER/PR by IHC, HER2-negative): not a "
                      "genotype-driven option")
        elif not positive_genomic_real and all(
                (f["kind"] == "wt" and f["gene"] in ("EGFR", "ALK", "ROS1")) or
                (f["kind"] == "marker" and f["value"] == "proficient")
                for f in ind.facts):
            reason = ("defined by the absence of a driver (wild type / mismatch repair "
                      "proficient): a non-genotype-driven option, not a rule by design")
        if reason is None:
            res.fail("EMA indication %s (%s) is biomarker-defined, no rule encodes it and no "
                     "reason is given" % (ind.short(), ", ".join(f["name"] for f in ind.facts)))
            continue
        res.ok()
        not_encoded.append((ind, reason))

    for e in exceptions:
        if not e["used"]:
            res.fail("exceptions line %d (%s, %s, %s) was not needed: remove it or fix it" %
                     (e["line"], e["rule"], e["ind"], e["field"]))
        else:
            res.ok()

    # README section in sync.
    readme = os.path.join(source, README_REL)
    try:
        text = open(readme, encoding="utf-8").read()
    except OSError:
        text = ""
    if README_SECTION not in text:
        res.fail("%s has no section %r" % (README_REL, README_SECTION))
    else:
        sec = text.split(README_SECTION, 1)[1]
        m = re.search(r"\n## ", sec)
        sec = sec[: m.start()] if m else sec
        listed = set(re.findall(r"ind:ema\.[a-z0-9-]+:\d+", sec))
        want = {i.id for i, _ in not_encoded}
        missing = sorted(want - listed)
        extra = sorted(listed - want)
        if missing or extra:
            res.fail("%s section %r out of date: missing %s; listed but encoded or unknown %s"
                     % (README_REL, README_SECTION, ", ".join(missing) or "-",
                        ", ".join(extra) or "-"))
        else:
            res.ok()

    # Every rule has a row in the README tables; an approved rule's row names the EMA
    # records it maps to.
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| `([A-Za-z0-9_.-]+)` \|", line)
        if m:
            rows[m.group(1)] = line
    rule_ids = defaultdict(set)
    rule_exact = defaultdict(dict)
    for ind_id, encs in encoded_by.items():
        for rname, _, ex in encs:
            rule_ids[rname].add(ind_id)
            rule_exact[rname][ind_id] = rule_exact[rname].get(ind_id, False) or ex
    bad = []
    for r in rules:
        if r["kind"] != "rule":
            continue
        row = rows.get(r["name"])
        if row is None:
            bad.append("%s has no row" % r["name"])
            continue
        want = rule_ids.get(r["name"], set())
        have = set(re.findall(r"ind:ema\.[a-z0-9-]+:\d+", row))
        if want != have:
            bad.append("%s row names %s, mapped to %s" % (
                r["name"], ", ".join(sorted(have)) or "-", ", ".join(sorted(want)) or "-"))
    if bad:
        res.fail("%s rule tables out of date: %s" % (README_REL, "; ".join(bad)))
    else:
        res.ok()

    # --- Report -------------------------------------------------------------------
    print()
    print("Rules mapped: %d approved rule/therapy pairs (%d approved rules)" %
          (mapped_rules, len(approved)))
    print("Exceptions: %d (%d used)" % (len(exceptions), sum(e["used"] for e in exceptions)))
    print("EMA indications: %d, biomarker-defined %d, encoded %d, not encoded %d" % (
        len(indications), len(biomarker_defined), len(encoded_by), len(not_encoded)))
    print()
    print("EMA biomarker-defined indications not encoded:")
    by_reason = defaultdict(list)
    for ind, reason in not_encoded:
        by_reason[reason].append(ind)
    for reason in sorted(by_reason, key=lambda r: (-len(by_reason[r]), r)):
        print("  %s:" % reason)
        for ind in by_reason[reason]:
            print("    %s" % ind.short())
    if report_md:
        # Record ids, EPAR names and EC decision dates only (the records stay in
        # shared/data); reasons are ours.
        def protein_tests(i):
            out = []
            for f in i.facts:
                n = f["name"]
                for pat, label in ((r"PD-L1", "PD-L1"), (r"HER2-(low|ultralow)", "HER2-low"),
                                   (r"HER2-positive", "HER2-positive"), (r"CLDN18", "Claudin 18.2"),
                                   (r"FOLR1", "FR-alpha"), (r"EGFR positive", "EGFR expression"),
                                   (r"CD117", "CD117")):
                    if re.search(pat, n) and label not in out:
                        out.append(label)
            return out

        table_reasons = {e["ind"] for e in exceptions if e["field"] == "not_encoded"}
        with open(report_md, "w", encoding="utf-8") as f:
            for reason in sorted(by_reason, key=lambda r: (-len(by_reason[r]), r)):
                inds = [i for i in by_reason[reason] if i.id not in table_reasons]
                if not inds:
                    continue
                items = []
                for i in inds:
                    extra = ", ".join(protein_tests(i)) if "protein" in reason else ""
                    items.append("`%s` (%s, EC %s%s)" % (
                        i.id, (i.epar or "?").replace("EMA EPAR ", ""), i.date,
                        "; " + extra if extra else ""))
                f.write("* **%s** (%d): %s.\n" % (reason[0].upper() + reason[1:], len(inds),
                                                   "; ".join(items)))
            f.write("\n| EMA record | EPAR | EC decision | reason (reviewed, "
                    "`tests/rules/ema_exceptions.tsv`) |\n|---|---|---|---|\n")
            for ind, reason in not_encoded:
                if ind.id in table_reasons:
                    f.write("| `%s` | %s | %s | %s |\n" % (
                        ind.id, (ind.epar or "?").replace("EMA EPAR ", ""), ind.date, reason))
    if mapping_json:
        with open(mapping_json, "w", encoding="utf-8") as f:
            json.dump({k: sorted([i, rule_exact[k][i]] for i in v) for k, v in rule_ids.items()},
                      f, indent=1, sort_keys=True)
    print()
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
