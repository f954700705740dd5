# Type stubs for the actionable package (the native module actionable._core).
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
        sources: Union[Mapping[str, str], Iterable[Tuple[str, str]]],
        reference: Optional[_Path] = None,
    ) -> Engine:
        """Compile rule texts held in memory ({path: text} or (path, text) pairs)."""
    def match(self, record: Record) -> Dict[str, Any]:
        """Match one record; raises RecordError when it is invalid."""
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
    def report(self, record: Record) -> str:
        """The match as a readable report; raises RecordError."""
    def run_tests(self) -> Tuple[int, int, List[str]]:
        """Run the rule set's test blocks: (passed, failed, failure lines)."""
    def dot(self) -> str:
        """Graphviz DOT of the compiled decision graph."""
    @property
    def info(self) -> RuleSetInfo: ...
    @property
    def warnings(self) -> str:
        """Formatted compile warnings ("" when none)."""
    @property
    def sources(self) -> List[Tuple[str, str]]:
        """The (path, text) of every rule file compiled."""

__all__: List[str]
