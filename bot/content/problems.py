"""What the content checker finds: one `Problem` per finding, each pointing at a file and line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding in a content file. `line` is 1-based; 0 means the file or folder as a whole."""

    path: str  # relative to the content folder's parent: "content/articles/ar/legal/asylum-steps-rs.md"
    line: int
    message: str
    severity: Severity = "error"

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class Problems:
    """The findings of one load, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message, "error"))

    def warning(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message, "warning"))
