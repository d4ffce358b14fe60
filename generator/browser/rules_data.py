"""Each programme's rules data, published beside the wheel in a file named after its content.

The quiz page names its programme's file and SRI hash; the worker fetches it with ``integrity``
and hands the text to the engine. Editing one programme changes that one file (a few KB) and
nothing else: not the wheel, not the other programmes' files.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

RULES_FOLDER = "rules"          # inside quiz-runtime/


@dataclass(frozen=True)
class RulesFile:
    programme_id: str
    path: str           # inside quiz-runtime/, e.g. "rules/cqp-assistant-medical.0123456789ab.json"
    content: bytes

    @property
    def integrity(self) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(self.content).digest()).decode("ascii")


def rules_file(entry) -> RulesFile:
    content = entry.data_json().encode("utf-8")
    digest = hashlib.sha256(content).hexdigest()[:12]
    return RulesFile(entry.id, f"{RULES_FOLDER}/{entry.id}.{digest}.json", content)
