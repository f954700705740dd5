"""Tests of the Python binding (actionable._core via the actionable package).

Run from the build: PYTHONPATH=<build>/python python3 -m unittest -v test_python
(ctest does this: `ctest -R bindings_python`; `ctest -R bindings_pip` runs it against a
`pip install` of bindings/python). Reference data: $ACTIONABLE_REFERENCE, else the data
packaged with a pip install, else the source tree's rules/reference. Typed: `mypy --strict`
passes on this file (the stubs in actionable/__init__.pyi; ctest -R bindings_mypy).
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
from typing import Any, Callable, Dict, List

import actionable

SOURCE_DIR = pathlib.Path(
    os.environ.get("ACTIONABLE_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2]
)
RULES = SOURCE_DIR / "rules" / "examples"
PATIENT = RULES / "patient_P1-000123.json"

# Valid OncoTree codes for the variations (some reach the example rules, some do not).
TUMOURS = ["LUAD", "NSCLC", "COADREAD", "LUSC", "BRCA", "MEL"]


def variations(base: Dict[str, Any], n: int) -> List[Dict[str, Any]]:
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
    engine: actionable.Engine
    patient_text: str
    patient: Dict[str, Any]

    @classmethod
    def setUpClass(cls) -> None:
        cls.engine = actionable.Engine.from_paths([str(RULES)])
        with open(PATIENT, encoding="utf-8") as f:
            cls.patient_text = f.read()
        cls.patient = json.loads(cls.patient_text)

    def test_match_dict(self) -> None:
        result = self.engine.match(self.patient)
        self.assertEqual(result["patient"], "P1-000123")
        self.assertEqual(result["pathway"]["recommended"], "standard_of_care")
        self.assertEqual(result["matches"][0]["therapies"], ["osimertinib"])

    def test_match_text_and_json(self) -> None:
        self.assertEqual(self.engine.match(self.patient_text), self.engine.match(self.patient))
        text = self.engine.match_json(self.patient_text)
        self.assertIn('"recommended":"standard_of_care"', text)
        self.assertEqual(json.loads(text), self.engine.match(self.patient))

    def test_bad_record_raises_record_error(self) -> None:
        bad = copy.deepcopy(self.patient)
        bad["tumour"]["oncotree"] = "LUXX"
        with self.assertRaises(actionable.RecordError) as cm:
            self.engine.match(bad)
        pointers = [e["pointer"] for e in cm.exception.errors]
        self.assertIn("/tumour/oncotree", pointers)
        self.assertIn("/tumour/oncotree", str(cm.exception))
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIsInstance(cm.exception, actionable.ActionableError)

    def test_invalid_json_and_wrong_type(self) -> None:
        with self.assertRaises(actionable.RecordError):
            self.engine.match("{not json")
        with self.assertRaises(TypeError):
            self.engine.match(42)  # type: ignore[arg-type]

    def test_info(self) -> None:
        info = self.engine.info
        self.assertEqual(info.name, "precision1-be")
        self.assertEqual(info.version, "2026.11.0")
        self.assertEqual(len(info.sha256), 64)
        self.assertEqual(info.as_dict(), self.engine.match(self.patient)["ruleset"])

    def test_explain_and_report(self) -> None:
        trace = self.engine.explain(self.patient)
        self.assertIn("Patient P1-000123", trace)
        self.assertIn("egfr_sensitizing_nsclc", trace)
        self.assertIsInstance(self.engine.report(self.patient), str)
        with self.assertRaises(actionable.RecordError):
            self.engine.explain({"patient": "x"})

    def test_run_tests(self) -> None:
        passed, failed, failures = self.engine.run_tests()
        self.assertGreaterEqual(passed, 1)
        self.assertEqual((failed, failures), (0, []))

    def test_dot(self) -> None:
        self.assertIn("digraph", self.engine.dot())

    def test_rule_error(self) -> None:
        with self.assertRaises(actionable.RuleError) as cm:
            actionable.Engine.from_sources({"bad.rules": "this is not a rule\n"})
        self.assertIn("bad.rules:1:", cm.exception.diagnostics)
        self.assertIn("error", str(cm.exception))
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d) / "bad.rules"
            p.write_text("ruleset \"x\" version \"1\"\nrule r { when nonsense }\n")
            with self.assertRaises(actionable.RuleError) as cm2:
                actionable.Engine.from_paths(p)  # one path (str or PathLike) is fine too
            self.assertIn(str(p), cm2.exception.diagnostics)

    def test_bad_reference_dir(self) -> None:
        with self.assertRaises(actionable.RuleError) as cm:
            actionable.Engine.from_paths([RULES], reference="/nonexistent/reference")
        self.assertIn("reference", str(cm.exception))

    def test_from_sources_same_identity(self) -> None:
        again = actionable.Engine.from_sources(self.engine.sources)
        self.assertEqual(again.info, self.engine.info)

    def test_match_many_equals_match(self) -> None:
        records = variations(self.patient, 1000)
        many = self.engine.match_many(records)
        self.assertEqual(len(many), len(records))
        expected: List[Dict[str, Any]] = []
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

    def test_threads_share_one_engine(self) -> None:
        records = variations(self.patient, 64)
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(self.engine.match_json, [json.dumps(r) for r in records if r["tumour"]["oncotree"] in TUMOURS]))
        self.assertTrue(all(r.startswith('{"patient":') for r in results))

    def test_match_many_releases_gil(self) -> None:
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

        methods: List[Callable[[List[str]], List[Any]]] = [self.engine.match_many, self.engine.match_many_json]
        for method in methods:
            stop = threading.Event()
            ticks: List[float] = []

            def ticker() -> None:
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
                            % (getattr(method, "__name__", "method"), max_gap, native))

    def test_match_outcome_is_typed_and_agrees_with_the_json(self) -> None:
        outcome = self.engine.match_outcome(self.patient)
        self.assertIsInstance(outcome, actionable.Outcome)
        self.assertEqual(outcome.to_json(), self.engine.match_json(self.patient))
        result = self.engine.match(self.patient)
        self.assertEqual(outcome.patient, result["patient"])
        self.assertEqual(outcome.pathway.recommended, actionable.PathwayOption.STANDARD_OF_CARE)
        self.assertEqual(str(outcome.pathway.recommended), result["pathway"]["recommended"])
        self.assertEqual([str(o) for o in outcome.pathway.options], result["pathway"]["options"])
        self.assertEqual(outcome.coverage, actionable.Coverage.DECLARED if result["coverage"] == "declared"
                         else actionable.Coverage.ASSUMED)
        self.assertEqual(outcome.ruleset, self.engine.info)
        self.assertEqual(len(outcome.matches), len(result["matches"]))
        for typed, plain in zip(outcome.matches, result["matches"]):
            self.assertEqual(str(typed.cls), plain["class"])
            self.assertEqual(typed.therapies, plain["therapies"])
            self.assertEqual(typed.findings, plain["findings"])
            self.assertEqual(typed.because, plain["because"])
            name = plain.get("rule") or plain.get("trial") or plain.get("cohort")
            self.assertEqual(typed.criterion.name, name)
        for typed_f, plain_f in zip(outcome.findings, result["findings"]):
            self.assertEqual(typed_f.normalised, plain_f["normalised"])
            self.assertEqual([str(c) for c in typed_f.classes], plain_f["classes"])
        self.assertEqual([m.missing for m in outcome.indeterminate], [e["missing"] for e in result["indeterminate"]])
        bad = copy.deepcopy(self.patient)
        bad["tumour"]["oncotree"] = "LUXX"
        with self.assertRaises(actionable.RecordError):
            self.engine.match_outcome(bad)

    def test_near_misses_typed(self) -> None:
        rules = (
            'ruleset "elig" version "1"\n'
            'trial NCT00000501 "fictional" { status recruiting\n'
            '  arm "A" { when somatic BRAF p.V600E  tumour MEL\n'
            '            require lab creatinine_clearance >= 50 mL/min and ecog <= 1 } }\n'
        )
        engine = actionable.Engine.from_sources([("elig.rules", rules)])
        record = {"patient": "p", "tumour": {"oncotree": "MEL"}, "ecog": 1,
                  "labs": [{"test": "creatinine_clearance", "value": 41, "unit": "mL/min"}],
                  "findings": [{"gene": "BRAF", "hgvsp": "p.V600E"}]}
        outcome = engine.match_outcome(record)
        self.assertEqual(outcome.to_json(), engine.match_json(record))
        self.assertEqual(outcome.excluded, [])
        self.assertEqual(len(outcome.near_misses), 1)
        self.assertEqual(outcome.near_misses[0].criterion.name, "NCT00000501")
        self.assertEqual(outcome.near_misses[0].eligible_once, ["lab creatinine_clearance >= 50 mL/min"])

    def test_trial_sites_and_rule_sets_typed(self) -> None:
        centre = (
            'ruleset "centre" version "1"\n'
            'trial NCT00000401 "fictional" { status recruiting  phase 2  site BE-UZL recruiting slots 2\n'
            '  arm "A" { when somatic EGFR p.L858R  tumour NSCLC  therapy "drug-x" } }\n'
        )
        # Pairs form one rule set: two `ruleset` lines in it are an error (E104) ...
        with self.assertRaises(actionable.RuleError) as cm:
            actionable.Engine.from_sources([(p, t) for p, t, _ in self.engine.sources] + [("centre/trials.rules", centre)])
        self.assertIn("E104", cm.exception.diagnostics)
        # ... triples with another set put the centre's trials beside the shipped rules.
        engine = actionable.Engine.from_sources(self.engine.sources + [("centre/trials.rules", centre, 1)])
        self.assertEqual([i.name for i in engine.rule_sets], ["precision1-be", "centre"])
        self.assertEqual(engine.rule_sets[0], self.engine.info)
        record = dict(self.patient, centre="BE-UZL")
        outcome = engine.match_outcome(record)
        trial = [m for m in outcome.matches if m.criterion.name == "NCT00000401"]
        self.assertEqual(len(trial), 1)
        self.assertEqual(trial[0].criterion.ruleset, "centre")
        self.assertEqual([s.name for s in outcome.rulesets], ["precision1-be", "centre"])
        self.assertEqual(trial[0].phase, "2")
        self.assertEqual(trial[0].availability, actionable.TrialAvailability.AT_CENTRE)
        self.assertEqual([(s.centre, s.status, s.slots) for s in trial[0].centres],
                         [("BE-UZL", actionable.SiteStatus.RECRUITING, 2)])

    def test_evidence_direction_and_supports_typed(self) -> None:
        rules = (
            'ruleset "ev" version "1"\n'
            'rule ev_not { when somatic ERBB2 amplification  tumour NSCLC  class evidence\n'
            '              direction not sensitivity  therapy "trastuzumab"  level CIViC:B }\n'
            'rule ev_adverse { when somatic ERBB2 amplification  tumour NSCLC  class evidence\n'
            '                  direction adverse_response  therapy "lapatinib"  level CIViC:C }\n'
        )
        engine = actionable.Engine.from_sources([("ev.rules", rules)])
        record = {"patient": "p", "tumour": {"oncotree": "LUAD"},
                  "tests": [{"origin": "somatic", "method": "NGS", "genes": ["ERBB2"]}],
                  "findings": [{"origin": "somatic", "type": "cnv", "gene": "ERBB2", "call": "amplification"}]}
        outcome = engine.match_outcome(record)
        got = {m.criterion.name: (str(m.cls), m.direction, m.supports) for m in outcome.matches}
        self.assertEqual(got, {"ev_not": ("evidence", "sensitivity", False),
                               "ev_adverse": ("evidence", "adverse_response", True)})
        plain = {m["rule"]: m for m in engine.match(record)["matches"]}
        self.assertIs(plain["ev_not"]["supports"], False)
        self.assertNotIn("supports", plain["ev_adverse"])

    def test_explain_trace_is_typed_and_prints_as_explain(self) -> None:
        trace = self.engine.explain_trace(self.patient)
        self.assertIsInstance(trace, actionable.Trace)
        # explain() is the trace followed by the readable result.
        self.assertTrue(self.engine.explain(self.patient).startswith(trace.to_text()))
        self.assertGreater(len(trace.to_text()), 100)
        self.assertEqual(trace.patient, self.patient["patient"])
        self.assertEqual(trace.tumour_code, self.patient["tumour"]["oncotree"])
        self.assertEqual(trace.lineage[-1], trace.tumour_code)
        self.assertEqual(trace.outcome.to_json(), self.engine.match_json(self.patient))
        self.assertGreater(len(trace.steps), 0)
        self.assertLessEqual(len(trace.steps), trace.criteria_total)
        matched = {m.criterion.name for m in trace.outcome.matches}
        for step in trace.steps:
            self.assertIsInstance(step.when, actionable.Truth)
            self.assertIn(str(step.when), ("false", "unknown", "true"))
            for atom in step.atoms:
                for f in atom.findings:
                    self.assertLess(f, len(trace.findings))
            for text, value in step.excludes:
                self.assertIsInstance(text, str)
                self.assertIsInstance(value, actionable.Truth)
            if step.criterion.name in matched and step.criterion.kind == actionable.CriterionKind.RULE:
                self.assertTrue(step.tumour)
                self.assertEqual(step.when, actionable.Truth.TRUE)
        bad = copy.deepcopy(self.patient)
        bad["tumour"]["oncotree"] = "LUXX"
        with self.assertRaises(actionable.RecordError):
            self.engine.explain_trace(bad)

if __name__ == "__main__":
    unittest.main()
