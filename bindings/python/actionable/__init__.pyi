# Type stubs for the actionable package (the native module actionable._core).
import enum
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__version__: str

_Path = Union[str, "os.PathLike[str]"]
Record = Union[Mapping[str, Any], str, bytes, bytearray]
"""A patient record: a JSON object as a dict, or its JSON text (docs/inputs.md)."""

class ActionableError(Exception):
    """Base class of the errors raised by actionable."""

class RuleError(ActionableError):
    """The rule set or its reference data could not be loaded."""

    diagnostics: str
    """The formatted diagnostics: "file:line:col: error: message [E201]", source line, caret."""

class RecordError(ActionableError, ValueError):
    """A patient record is invalid."""

    errors: List[Dict[str, str]]
    """One {"pointer": "/tumour/oncotree", "message": "..."} per problem ("" = whole record)."""

class RuleSetInfo:
    """Identity of a compiled rule set (a result's "ruleset" object)."""

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    def as_dict(self) -> Dict[str, str]: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class OptionClass(enum.Enum):
    """The class of an option; str() gives the JSON spelling ("standard_of_care")."""

    APPROVED = 0
    STANDARD_OF_CARE = 1
    RESISTANCE = 2
    MATCHED_TRIAL = 3
    PRECISION2_CANDIDATE = 4
    EVIDENCE = 5

class PathwayOption(enum.Enum):
    """The protocol's pathway options; str() gives the JSON spelling."""

    STANDARD_OF_CARE = 0
    MATCHED_TRIAL = 1
    PRECISION2 = 2
    EMPIRICAL = 3

class Coverage(enum.Enum):
    DECLARED = 0
    ASSUMED = 1

class CriterionKind(enum.Enum):
    RULE = 0
    TRIAL_ARM = 1
    COHORT = 2

class SiteStatus(enum.Enum):
    RECRUITING = 0
    SUSPENDED = 1
    CLOSED = 2

class TrialAvailability(enum.Enum):
    """Where a matched trial arm recruits for this patient (docs/language.md, "Trials at sites")."""

    UNSTATED = 0
    AT_CENTRE = 1
    IN_COUNTRY = 2

class CriterionRef:
    @property
    def kind(self) -> CriterionKind: ...
    @property
    def name(self) -> str: ...
    @property
    def arm(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str:
        """Where the criterion is written ("rules/lung.rules:16")."""
    @property
    def ruleset(self) -> str:
        """Its rule set, when several are used side by side ("" otherwise)."""

class TrialSite:
    @property
    def centre(self) -> str: ...
    @property
    def status(self) -> SiteStatus: ...
    @property
    def slots(self) -> Optional[int]: ...

class Match:
    @property
    def cls(self) -> OptionClass: ...
    @property
    def criterion(self) -> CriterionRef: ...
    @property
    def therapies(self) -> List[str]: ...
    @property
    def level(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def supports(self) -> bool: ...
    @property
    def findings(self) -> List[int]: ...
    @property
    def cites(self) -> List[str]: ...
    @property
    def sites(self) -> List[str]: ...
    @property
    def phase(self) -> str: ...
    @property
    def centres(self) -> List[TrialSite]: ...
    @property
    def availability(self) -> TrialAvailability: ...
    @property
    def because(self) -> List[str]: ...
    @property
    def eligible(self) -> bool: ...

class Suppressed:
    @property
    def cls(self) -> OptionClass: ...
    @property
    def criterion(self) -> CriterionRef: ...
    @property
    def by(self) -> str: ...
    @property
    def by_ruleset(self) -> str: ...
    @property
    def therapies(self) -> List[str]: ...

class Indeterminate:
    @property
    def cls(self) -> OptionClass: ...
    @property
    def criterion(self) -> CriterionRef: ...
    @property
    def missing(self) -> List[str]: ...

class OffLabel:
    @property
    def cls(self) -> OptionClass: ...
    @property
    def criterion(self) -> CriterionRef: ...
    @property
    def therapies(self) -> List[str]: ...
    @property
    def approved_in(self) -> List[str]: ...
    @property
    def except_(self) -> List[str]: ...
    @property
    def level(self) -> str: ...
    @property
    def findings(self) -> List[int]: ...
    @property
    def cites(self) -> List[str]: ...
    @property
    def because(self) -> List[str]: ...

class Excluded:
    @property
    def cls(self) -> OptionClass: ...
    @property
    def criterion(self) -> CriterionRef: ...
    @property
    def reason(self) -> str: ...

class NearMiss:
    @property
    def cls(self) -> OptionClass: ...
    @property
    def criterion(self) -> CriterionRef: ...
    @property
    def reason(self) -> str: ...
    @property
    def eligible_once(self) -> List[str]: ...

class FindingSummary:
    @property
    def index(self) -> int: ...
    @property
    def normalised(self) -> str: ...
    @property
    def classes(self) -> List[OptionClass]: ...

class UnresolvedGene:
    @property
    def finding(self) -> int: ...
    @property
    def field(self) -> str: ...
    @property
    def symbol(self) -> str: ...

class Pathway:
    @property
    def options(self) -> List[PathwayOption]: ...
    @property
    def recommended(self) -> PathwayOption: ...
    @property
    def precision2_eligible(self) -> bool: ...
    @property
    def provisional(self) -> bool: ...

class Outcome:
    """The typed result of matching one patient (the same facts as the result JSON)."""

    @property
    def patient(self) -> str: ...
    @property
    def ruleset(self) -> RuleSetInfo: ...
    @property
    def rulesets(self) -> List[RuleSetInfo]: ...
    @property
    def coverage(self) -> Coverage: ...
    @property
    def input_incomplete(self) -> bool: ...
    @property
    def input_issues(self) -> List[str]: ...
    @property
    def pathway(self) -> Pathway: ...
    @property
    def matches(self) -> List[Match]: ...
    @property
    def suppressed(self) -> List[Suppressed]: ...
    @property
    def indeterminate(self) -> List[Indeterminate]: ...
    @property
    def off_label(self) -> List[OffLabel]: ...
    @property
    def excluded(self) -> List[Excluded]: ...
    @property
    def near_misses(self) -> List[NearMiss]: ...
    @property
    def findings(self) -> List[FindingSummary]: ...
    @property
    def unresolved(self) -> List[UnresolvedGene]: ...
    def to_json(self) -> str:
        """The canonical result JSON (what match_json returns)."""

class Truth(enum.Enum):
    """A three-valued (Kleene) value; str() gives "false", "unknown" or "true"."""

    FALSE = 0
    UNKNOWN = 1
    TRUE = 2

class TraceAtom:
    """One line of a criterion's when: a define reached, or an atom with its value."""

    @property
    def is_define(self) -> bool: ...
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def value(self) -> Truth: ...
    @property
    def findings(self) -> List[int]: ...
    @property
    def missing(self) -> List[str]: ...

class TraceStep:
    """One criterion the patient's tumour and findings reach."""

    @property
    def criterion(self) -> CriterionRef: ...
    @property
    def cls(self) -> OptionClass: ...
    @property
    def tumour(self) -> bool: ...
    @property
    def tumour_reason(self) -> str: ...
    @property
    def when(self) -> Truth: ...
    @property
    def atoms(self) -> List[TraceAtom]: ...
    @property
    def require_text(self) -> str: ...
    @property
    def require(self) -> Truth: ...
    @property
    def excludes(self) -> List[Tuple[str, Truth]]: ...
    @property
    def status(self) -> str: ...

class Trace:
    """The decision trace of one patient, as data (what explain prints)."""

    @property
    def patient(self) -> str: ...
    @property
    def tumour_code(self) -> str: ...
    @property
    def tumour_name(self) -> str: ...
    @property
    def lineage(self) -> List[str]: ...
    @property
    def solid(self) -> bool: ...
    @property
    def closed_world(self) -> bool: ...
    @property
    def tests(self) -> int: ...
    @property
    def findings(self) -> List[str]: ...
    @property
    def criteria_total(self) -> int: ...
    @property
    def steps(self) -> List[TraceStep]: ...
    @property
    def outcome(self) -> Outcome: ...
    def to_text(self) -> str:
        """The trace as text: what Engine.explain returns before the readable result."""

class Engine:
    """A compiled rule set bound to its reference data. Immutable; thread-safe."""

    @staticmethod
    def from_paths(paths: Union[_Path, Sequence[_Path]], reference: Optional[_Path] = None) -> Engine:
        """Compile every .rules file under the given files/directories.

        reference: the reference-data directory; default $ACTIONABLE_REFERENCE, else the
        installed share/actionable/reference, else the source tree's rules/reference.
        Raises RuleError on errors (warnings are in .warnings)."""
    @staticmethod
    def from_sources(
        sources: Union[Mapping[str, str], Iterable[Tuple[str, str]], Iterable[Tuple[str, str, int]]],
        reference: Optional[_Path] = None,
    ) -> Engine:
        """Compile rule texts held in memory ({path: text}, (path, text) pairs, or (path, text,
        set) triples: sources of different sets are rule sets side by side when more than one
        declares a ruleset)."""
    def match(self, record: Record) -> Dict[str, Any]:
        """Match one record; raises RecordError when it is invalid."""
    def match_outcome(self, record: Record) -> Outcome:
        """Match one record; the typed Outcome (no JSON round trip); raises RecordError."""
    def match_json(self, record: Record) -> str:
        """Match one record; the canonical result JSON text (one line)."""
    def match_many(self, records: Iterable[Record], threads: Optional[int] = None) -> List[Dict[str, Any]]:
        """Match many records on all cores (or `threads`) with the GIL released.

        Output order = input order; an invalid record yields {"errors": [...]} instead of
        raising."""
    def match_many_json(self, records: Iterable[Record], threads: Optional[int] = None) -> List[str]:
        """As match_many, each result as its JSON text ('{"errors":[...]}' for a bad record);
        faster when results are stored rather than read."""
    def explain(self, record: Record) -> str:
        """The decision trace of one record, for people; raises RecordError."""
    def explain_trace(self, record: Record) -> Trace:
        """The decision trace of one record as data (explain() starts with .to_text()); raises RecordError."""
    def report(self, record: Record) -> str:
        """The match as a readable report; raises RecordError."""
    def run_tests(self) -> Tuple[int, int, List[str]]:
        """Run the rule set's test blocks: (passed, failed, failure lines)."""
    def dot(self) -> str:
        """Graphviz DOT of the compiled decision graph."""
    @property
    def info(self) -> RuleSetInfo: ...
    @property
    def rule_sets(self) -> List[RuleSetInfo]:
        """Each rule set's own identity (several when used side by side)."""
    @property
    def warnings(self) -> str:
        """Formatted compile warnings ("" when none)."""
    @property
    def sources(self) -> List[Tuple[str, str, int]]:
        """The (path, text, set) of every rule file compiled (set 0 for a single rule set)."""

__all__: List[str]
