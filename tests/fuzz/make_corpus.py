#!/usr/bin/env python3
"""Build the seed corpus of one fuzz target (docs/reliability.md).

Usage: make_corpus.py TARGET OUTDIR [--repo DIR] [--shared DIR]

Seeds come from three places: the hand-made seeds in tests/fuzz/seeds/TARGET (in the repo),
the repository's own example inputs (rules/, tests/golden, tests/io/data), and slices of the
real files in ../shared/data (read in place at run time: several are GPL / AGPL test-only data,
so they are never copied into the repository; the corpus directory lives in the build tree).
Large tables are cut into small files (their header plus a few rows), which is what a fuzzer
mutates best. Deterministic: the same inputs give the same corpus.
"""
import argparse
import glob
import hashlib
import json
import os
import sys


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Corpus:
    def __init__(self, out):
        self.out = out
        self.n = 0
        os.makedirs(out, exist_ok=True)

    def add(self, data, max_bytes=64 * 1024):
        if isinstance(data, str):
            data = data.encode()
        if not data or len(data) > max_bytes:
            return
        name = hashlib.sha1(data).hexdigest()
        path = os.path.join(self.out, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.n += 1

    def add_files(self, pattern):
        for p in sorted(glob.glob(pattern, recursive=True)):
            if os.path.isfile(p):
                self.add(read(p))


def to_yaml(value, indent=0):
    """value (parsed JSON) as YAML block style; scalars as JSON text, which is valid YAML."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        out = ""
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out += "%s%s:\n%s" % (pad, json.dumps(k), to_yaml(v, indent + 2))
            else:
                out += "%s%s: %s\n" % (pad, json.dumps(k), json.dumps(v))
        return out
    if isinstance(value, list) and value:
        out = ""
        for v in value:
            if isinstance(v, (dict, list)) and v:
                body = to_yaml(v, indent + 2)
                out += "%s- %s" % (pad, body[indent + 2:])
            else:
                out += "%s- %s\n" % (pad, json.dumps(v))
        return out
    return "%s%s\n" % (pad, json.dumps(value))


def table_slices(path, rows=8, chunks=12, comment=b"#", header_key=None):
    """The file's leading comment lines + header, then `rows` data rows, `chunks` times, spread
    over the file."""
    if not os.path.exists(path):
        return []
    lines = read(path).splitlines(keepends=True)
    i = 0
    while i < len(lines) and (lines[i].startswith(comment) or not lines[i].strip()):
        if header_key is not None and header_key in lines[i]:
            break
        i += 1
    head, body = lines[: i + 1], lines[i + 1:]
    if not body:
        return [b"".join(head)]
    step = max(1, len(body) // chunks)
    return [b"".join(head + body[s:s + rows]) for s in range(0, len(body), step)][:chunks]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("out")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--repo", default=os.path.normpath(os.path.join(here, "..", "..")))
    ap.add_argument("--shared", default=None)
    a = ap.parse_args()
    repo = a.repo
    shared = a.shared or os.path.normpath(os.path.join(repo, "..", "shared", "data"))
    if not os.path.isdir(shared):
        print(f"make_corpus: {shared} not found: only the repository's own seeds", file=sys.stderr)
    c = Corpus(a.out)
    t = a.target
    c.add_files(os.path.join(here, "seeds", t, "*"))
    io_data = os.path.join(repo, "tests", "io", "data")
    sp = os.path.join(io_data, "same_patient")
    S = lambda *p: os.path.join(shared, *p)

    if t == "rules":
        for d in ("rules/examples", "rules/precision1", "rules/precision2", "tests/golden/check"):
            c.add_files(os.path.join(repo, d, "**", "*.rules"))
    elif t == "patient":
        c.add_files(os.path.join(repo, "rules", "examples", "*.json"))
        for p in sorted(glob.glob(os.path.join(repo, "tests", "golden", "match", "*.json"))):
            if not p.endswith(".expect.json"):
                c.add(read(p))
        c.add(read(os.path.join(sp, "record.json")))
    elif t == "hgvs":
        seen = set()
        corpus = S("hgvs_test_vectors", "protein_change_corpus.tsv")
        if os.path.exists(corpus):
            rows = read(corpus).decode("utf-8", "replace").splitlines()
            col = rows[0].split("\t").index("protein_change") if "protein_change" in rows[0] else 0
            for r in rows[1::3]:
                f = r.split("\t")
                if len(f) > col:
                    seen.add(f[col])
        for name in ("grammar_test.tsv", "gauntlet.txt", "reject.txt", "extra.txt"):
            p = S("hgvs_test_vectors", name)
            if os.path.exists(p):
                for line in read(p).decode("utf-8", "replace").splitlines():
                    for tok in line.replace("\t", " ").split(" "):
                        if ":p." in tok:
                            seen.add(tok.split(":", 1)[1])
                        elif tok.startswith("p."):
                            seen.add(tok)
        for s in sorted(seen):
            c.add(s)
    elif t == "maf":
        c.add(read(os.path.join(sp, "data_mutations.maf")))
        c.add(read(os.path.join(io_data, "vcf2maf_style.maf")))
        for p in (S("cohorts", "tcga_laml_maftools", "tcga_laml.maf"),
                  S("oncokb_annotator_examples", "example_maf.txt"),
                  S("oncokb_annotator_examples", "example_maf_grch38.txt"),
                  S("moalmanac", "example_inputs", "example_patient.capture.somatic.snvs.maf"),
                  S("moalmanac", "example_inputs", "example_patient.capture.germline.maf"),
                  S("moalmanac", "example_inputs", "example_patient.capture.somatic.indels.maf")):
            for s in table_slices(p, header_key=b"Hugo_Symbol"):
                c.add(s)
    elif t == "vcf":
        c.add_files(os.path.join(io_data, "*.vcf"))
        c.add_files(os.path.join(sp, "*.vcf"))
    elif t == "cna_table":
        c.add(read(os.path.join(sp, "data_cna.txt")))
        for p in (S("moalmanac", "example_inputs", "example_patient.capture.somatic.called.cna.txt"),
                  S("oncokb_annotator_examples", "example_individual_cna.txt"),
                  S("cohorts", "ccle_cell_lines_moalmanac", "cell-lines.copy-numbers.annotated.txt")):
            for s in table_slices(p):
                c.add(s)
    elif t == "cna_matrix":
        c.add(read(os.path.join(sp, "data_cna.txt")))
        for s in table_slices(S("oncokb_annotator_examples", "example_cna.txt")):
            c.add(s)
    elif t == "sv":
        c.add(read(os.path.join(sp, "data_sv.txt")))
        for p in (S("oncokb_annotator_examples", "example_sv.txt"),
                  S("oncokb_annotator_examples", "example_fusions.txt"),
                  S("moalmanac", "example_inputs", "example_patient.rna.star.fusions.txt"),
                  S("cohorts", "ccle_cell_lines_moalmanac", "cell-lines.fusions.annotated.txt")):
            for s in table_slices(p, comment=b"\x00"):
                c.add(s)
    elif t == "clinical":
        c.add(read(os.path.join(sp, "data_clinical_sample.txt")))
        for p in (S("oncokb_annotator_examples", "example_clinical.txt"),
                  S("oncotree", "example_data_clinical_sample.txt"),
                  S("oncotree", "example_data_clinical_sample_remapped.txt"),
                  S("cohorts", "tcga_laml_maftools", "tcga_laml_annot.tsv"),
                  S("matchminer_ctml", "matchengine_v2_tests", "clinical_csv", "test_patients.csv")):
            for s in table_slices(p, header_key=b"SAMPLE_ID"):
                c.add(s)
    elif t == "panel":
        c.add(read(os.path.join(sp, "gene_panel_focus5.txt")))
        c.add(read(os.path.join(sp, "data_clinical_sample.txt")))
        for p in (S("moalmanac", "datasources", "hereditary.txt"),
                  S("moalmanac", "datasources", "acmg.secondaryfindings.v3.txt")):
            for s in table_slices(p, rows=20, chunks=3):
                c.add(s)
    elif t == "phenopacket":
        c.add(read(os.path.join(sp, "phenopacket.json")))
    elif t == "ctims":
        for name, per in (("clinical.ejson", 3), ("genomic.ejson", 6)):
            p = S("matchminer_ctml", "ctims_seed_patients", name)
            if os.path.exists(p):
                docs = json.loads(read(p))
                for i in range(0, min(len(docs), per * 12), per):
                    c.add(json.dumps(docs[i:i + per], indent=0))
        for p in sorted(glob.glob(S("matchminer_ctml", "matchengine_v2_tests", "*_json", "*.json"))):
            c.add(read(p))
    elif t == "ctml":
        for d in ("trials", "integration_trials", "ctml_boolean_cases"):
            c.add_files(S("matchminer_ctml", "matchengine_v2_tests", d, "*.json"))
    elif t == "ctml_yaml":
        # The two YAML trials of matchengine-V2's tests, and every JSON trial both as it is (a
        # JSON document is YAML flow style) and in YAML block style.
        c.add_files(S("matchminer_ctml", "matchengine_v2_tests", "yaml", "*.yaml"))
        for d in ("trials", "integration_trials", "ctml_boolean_cases"):
            for p in sorted(glob.glob(S("matchminer_ctml", "matchengine_v2_tests", d, "*.json"))):
                c.add(read(p))
                try:
                    c.add(to_yaml(json.loads(read(p))))
                except ValueError:
                    pass
    elif t == "civic":
        p = S("civic", "civic_clinical_evidence_summaries_2026-05.tsv")
        if os.path.exists(p):
            lines = read(p).splitlines(keepends=True)
            head, body = lines[:1], lines[1:]
            predictive = [l for l in body if b"\tPredictive\t" in l]
            step = max(1, len(predictive) // 40)
            for s in range(0, len(predictive), step):
                c.add(b"".join(head + predictive[s:s + 4]))
            c.add(b"".join(head + body[:6]))
    elif t == "portal":
        pass  # the hand-made requests in seeds/portal are the whole corpus
    elif t == "report":
        # The records of the patient target (compact), each alone and with a text to inject.
        recs = [read(p) for p in sorted(glob.glob(os.path.join(repo, "rules", "examples", "*.json")))]
        recs += [read(p) for p in sorted(glob.glob(os.path.join(repo, "tests", "golden", "match", "*.json")))
                 if not p.endswith(".expect.json")]
        for i, r in enumerate(recs):
            try:
                r = json.dumps(json.loads(r), separators=(",", ":")).encode()
            except ValueError:
                pass
            c.add(r)
            if i % 3 == 0:
                c.add(r + b"\0<b>bold</b> & \"quoted\" \xc3\xa9")
    elif t == "registry":
        # Registry records of the portal demo (centres renamed to the target's BE-A / BE-B),
        # one to four lines at a time, and the example records as one compact line each.
        demo = os.path.join(repo, "rules", "examples", "portal_demo.jsonl")
        if os.path.exists(demo):
            lines = read(demo).replace(b"BE-DEMO-A", b"BE-A").replace(b"BE-DEMO-B", b"BE-B").splitlines(True)
            for k in range(0, len(lines), 3):
                c.add(b"".join(lines[k:k + 1 + k % 4]))
        for p in sorted(glob.glob(os.path.join(repo, "tests", "golden", "match", "*.json"))):
            if p.endswith(".expect.json"):
                continue
            try:
                c.add(json.dumps(json.loads(read(p)), separators=(",", ":")).encode() + b"\n")
            except ValueError:
                pass
    else:
        print(f"make_corpus: unknown target {t}", file=sys.stderr)
        return 2
    print(f"make_corpus: {t}: {c.n} new seeds in {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
