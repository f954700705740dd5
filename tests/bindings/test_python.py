"""Tests of the Python binding (actionable._core via the actionable package).

Run from the build: PYTHONPATH=<build>/python python3 -m unittest -v test_python
(ctest does this: `ctest -R bindings_python`). Reference data: $ACTIONABLE_REFERENCE, else
the source tree's rules/reference.
"""

import copy
import json
import os
import pathlib
import tempfile
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

import actionable

SOURCE_DIR = pathlib.Path(
    os.environ.get("ACTIONABLE_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2]
)
RULES = SOURCE_DIR / "rules" / "examples"
PATIENT = RULES / "patient_P1-000123.json"

# Valid OncoTree codes for the variations (some reach the example rules, some do not).
TUMOURS = ["LUAD", "NSCLC", "COADREAD", "LUSC", "BRCA", "MEL"]


def variations(base, n):
    """n records derived from `base`: other ids, tumours and finding subsets; every 7th one is
    invalid (an unknown OncoTree code) so that match_many has per-record errors to report."""
    out = []
    for i in range(n):
        r = copy.deepcopy(base)
        r["patient"] = "P1-%06d" % i
        r["tumour"]["oncotree"] = "NOPE%d" % i if i % 7 == 3 else TUMOURS[i % len(TUMOURS)]
        r["findings"] = [f for k, f in enumerate(base["findings"]) if (i >> k) & 1 == 0]
        out.append(r)
    return out


class EngineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = actionable.Engine.from_paths([str(RULES)])
        with open(PATIENT, encoding="utf-8") as f:
            cls.patient_text = f.read()
        cls.patient = json.loads(cls.patient_text)

    def test_match_dict(self):
        result = self.engine.match(self.patient)
        self.assertEqual(result["patient"], "P1-000123")
        self.assertEqual(result["pathway"]["recommended"], "standard_of_care")
        self.assertEqual(result["matches"][0]["therapies"], ["osimertinib"])

    def test_match_text_and_json(self):
        self.assertEqual(self.engine.match(self.patient_text), self.engine.match(self.patient))
        text = self.engine.match_json(self.patient_text)
        self.assertIn('"recommended":"standard_of_care"', text)
        self.assertEqual(json.loads(text), self.engine.match(self.patient))

    def test_bad_record_raises_record_error(self):
        bad = copy.deepcopy(self.patient)
        bad["tumour"]["oncotree"] = "LUXX"
        with self.assertRaises(actionable.RecordError) as cm:
            self.engine.match(bad)
        pointers = [e["pointer"] for e in cm.exception.errors]
        self.assertIn("/tumour/oncotree", pointers)
        self.assertIn("/tumour/oncotree", str(cm.exception))
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIsInstance(cm.exception, actionable.ActionableError)

    def test_invalid_json_and_wrong_type(self):
        with self.assertRaises(actionable.RecordError):
            self.engine.match("{not json")
        with self.assertRaises(TypeError):
            self.engine.match(42)

    def test_info(self):
        info = self.engine.info
        self.assertEqual(info.name, "precision1-be")
        self.assertEqual(info.version, "2026.11.0")
        self.assertEqual(len(info.sha256), 64)
        self.assertEqual(info.as_dict(), self.engine.match(self.patient)["ruleset"])

    def test_explain_and_report(self):
        trace = self.engine.explain(self.patient)
        self.assertIn("Patient P1-000123", trace)
        self.assertIn("egfr_sensitizing_nsclc", trace)
        self.assertIsInstance(self.engine.report(self.patient), str)
        with self.assertRaises(actionable.RecordError):
            self.engine.explain({"patient": "x"})

    def test_run_tests(self):
        passed, failed, failures = self.engine.run_tests()
        self.assertGreaterEqual(passed, 1)
        self.assertEqual((failed, failures), (0, []))

    def test_dot(self):
        self.assertIn("digraph", self.engine.dot())

    def test_rule_error(self):
        with self.assertRaises(actionable.RuleError) as cm:
            actionable.Engine.from_sources({"bad.rules": "this is not a rule\n"})
        self.assertIn("bad.rules:1:", cm.exception.diagnostics)
        self.assertIn("error", str(cm.exception))
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d) / "bad.rules"
            p.write_text("ruleset \"x\" version \"1\"\nrule r { when nonsense }\n")
            with self.assertRaises(actionable.RuleError) as cm:
                actionable.Engine.from_paths(p)  # one path (str or PathLike) is fine too
            self.assertIn(str(p), cm.exception.diagnostics)

    def test_bad_reference_dir(self):
        with self.assertRaises(actionable.RuleError) as cm:
            actionable.Engine.from_paths([RULES], reference="/nonexistent/reference")
        self.assertIn("reference", str(cm.exception))

    def test_from_sources_same_identity(self):
        again = actionable.Engine.from_sources(self.engine.sources)
        self.assertEqual(again.info, self.engine.info)

    def test_match_many_equals_match(self):
        records = variations(self.patient, 1000)
        many = self.engine.match_many(records)
        self.assertEqual(len(many), len(records))
        expected = []
        for r in records:
            try:
                expected.append(self.engine.match(r))
            except actionable.RecordError as e:
                expected.append({"errors": e.errors})
        self.assertEqual(many, expected)
        n_errors = sum(1 for m in many if "errors" in m)
        self.assertGreater(n_errors, 0)
        self.assertLess(n_errors, len(records))
        self.assertEqual(self.engine.match_many(records, threads=1), many)
        texts = self.engine.match_many_json(records)
        self.assertEqual([json.loads(t) for t in texts], many)
        self.assertEqual(self.engine.match_many([]), [])

    def test_threads_share_one_engine(self):
        records = variations(self.patient, 64)
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(self.engine.match_json, [json.dumps(r) for r in records if r["tumour"]["oncotree"] in TUMOURS]))
        self.assertTrue(all(r.startswith('{"patient":') for r in results))

    def test_match_many_releases_gil(self):
        # Another Python thread must keep running while match_many matches. It timestamps
        # every turn of its loop; were the GIL held while matching, it would stall for the
        # whole native part of the call (about as long as match_many_json takes alone).
        batch = [json.dumps(r) for r in variations(self.patient, 1000)]
        while True:  # size the batch so that the native matching takes >= ~0.5 s
            start = time.perf_counter()
            self.engine.match_many_json(batch)
            native = time.perf_counter() - start
            if native >= 0.5:
                break
            batch = batch * 2

        for method in (self.engine.match_many, self.engine.match_many_json):
            stop = threading.Event()
            ticks = []

            def ticker():
                while not stop.is_set():
                    ticks.append(time.perf_counter())

            t = threading.Thread(target=ticker)
            t.start()
            try:
                time.sleep(0.05)
                t0 = time.perf_counter()
                results = method(batch)
                t1 = time.perf_counter()
            finally:
                stop.set()
                t.join()
            self.assertEqual(len(results), len(batch))
            inside = [x for x in ticks if t0 <= x <= t1]
            self.assertGreater(len(inside), 100, "the other thread made no progress")
            edges = [t0] + inside + [t1]
            max_gap = max(b - a for a, b in zip(edges, edges[1:]))
            self.assertLess(max_gap, 0.5 * native,
                            "%s: the other thread stalled for %.3f s (matching alone takes %.3f s)"
                            % (method.__name__, max_gap, native))

if __name__ == "__main__":
    unittest.main()
