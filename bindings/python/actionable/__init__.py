"""actionable — genotype-driven treatment matching for PRECISION 1 patients.

    import actionable
    engine = actionable.Engine.from_paths(["rules/precision1"])
    result = engine.match({"patient": "P1-000123", ...})
    result["pathway"]["recommended"]
    outcome = engine.match_outcome(record)       # typed: outcome.pathway.recommended, …

An Engine is immutable: share one between threads. ``match`` releases the GIL while it
matches; ``match_many`` matches a list on all cores with the GIL released.
"""

import os as _os

from . import _core
from ._core import (  # noqa: F401
    ActionableError,
    Coverage,
    CriterionKind,
    CriterionRef,
    Engine,
    Excluded,
    FindingSummary,
    Indeterminate,
    Match,
    NearMiss,
    OffLabel,
    OptionClass,
    Outcome,
    Pathway,
    PathwayOption,
    RecordError,
    RuleError,
    RuleSetInfo,
    SiteStatus,
    Suppressed,
    Trace,
    TraceAtom,
    TraceStep,
    TrialAvailability,
    TrialSite,
    Truth,
    UnresolvedGene,
    __version__,
)

# A pip install carries the reference data (HGNC, OncoTree, exon table) next to the module.
_packaged = _os.path.join(_os.path.dirname(__file__), "reference")
if _os.path.isfile(_os.path.join(_packaged, "hgnc_symbols.tsv")):
    _core._set_packaged_reference(_packaged)

__all__ = [
    "ActionableError",
    "Coverage",
    "CriterionKind",
    "CriterionRef",
    "Engine",
    "Excluded",
    "FindingSummary",
    "Indeterminate",
    "Match",
    "NearMiss",
    "OffLabel",
    "OptionClass",
    "Outcome",
    "Pathway",
    "PathwayOption",
    "RecordError",
    "RuleError",
    "RuleSetInfo",
    "SiteStatus",
    "Suppressed",
    "Trace",
    "TraceAtom",
    "TraceStep",
    "TrialAvailability",
    "TrialSite",
    "Truth",
    "UnresolvedGene",
    "__version__",
]
