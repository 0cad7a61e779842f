"""Where learners' answers are kept: one record type, a store interface, and the local store."""

from circlekit.answers.export import export_answers
from circlekit.answers.local import LocalStore
from circlekit.answers.record import MAX_CHARS, Answer
from circlekit.answers.store import Store, default_path, default_store, kit_home
from circlekit.errors import StoreError

__all__ = [
    "MAX_CHARS", "Answer", "LocalStore", "Store", "StoreError", "default_path", "default_store",
    "export_answers", "kit_home",
]
