"""The explanation is data: one tree of findings, each with reasons and citations.

JSON, text (and, in the web app, HTML and PDF) are renderers of this one structure, so they
can never disagree about what the tool said or why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Finding:
    """One statement of the assessment: what, why (children) and on what authority."""

    topic: str
    text: str
    citations: list[str] = field(default_factory=list)
    value: Any = None
    children: list[Finding] = field(default_factory=list)

    def add(
        self, topic: str, text: str, citations: list[str] | None = None, value: Any = None
    ) -> Finding:
        child = Finding(topic, text, list(citations or []), value)
        self.children.append(child)
        return child

    def walk(self) -> list[Finding]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"topic": self.topic, "text": self.text, "citations": self.citations}
        if self.value is not None:
            d["value"] = self.value
        if self.children:
            d["children"] = [c.as_dict() for c in self.children]
        return d

    def reasons(self) -> list[dict[str, Any]]:
        """The contract's flat ``reasons`` list: this finding's children, one per line."""
        return [{"text": c.text, "citations": c.citations} for c in self.children]
