"""actionable — genotype-driven treatment matching for PRECISION 1 patients.

    import actionable
    engine = actionable.Engine.from_paths(["rules/precision1"])
    result = engine.match({"patient": "P1-000123", ...})
    result["pathway"]["recommended"]

An Engine is immutable: share one between threads. ``match`` releases the GIL while it
matches; ``match_many`` matches a list on all cores with the GIL released.
"""

from ._core import (  # noqa: F401
    ActionableError,
    Engine,
    RecordError,
    RuleError,
    RuleSetInfo,
    __version__,
)

__all__ = [
    "ActionableError",
    "Engine",
    "RecordError",
    "RuleError",
    "RuleSetInfo",
    "__version__",
]
