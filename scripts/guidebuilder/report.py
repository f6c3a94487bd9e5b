"""What a stage did, as a value it returns with its result: the build prints it, tests read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    """'20 drawn, 0 cached': how many outputs a stage made and how many it reused from the store."""

    made: int
    reused: int
    verb: str = "made"  # what making one is called in this stage: drawn, rendered, built

    def __str__(self) -> str:
        return f"{self.made} {self.verb}, {self.reused} cached"
