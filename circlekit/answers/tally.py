"""Poll tallies, counted in one place: the circle service's `tallies` endpoint, the Poll
widget's bars and the facilitator's dashboard all call `tally`.

A vote is a poll answer; its value is one choice or a list of choices (multiple choice).
Blank choices are not counted; every poll answer counts as one voter, whatever it chose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from circlekit.answers.record import Answer


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    voters: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"counts": dict(self.counts), "voters": self.voters}


def tally(answers: Iterable[Answer]) -> dict[str, Tally]:
    """Votes per option and voters, per poll (widget id), from the answers given."""
    found: dict[str, Tally] = {}
    for answer in answers:
        if answer.kind != "poll":
            continue
        entry = found.setdefault(answer.widget_id, Tally())
        chosen = answer.value if isinstance(answer.value, list) else [answer.value]
        entry.counts.update(str(c) for c in chosen if c is not None and str(c).strip())
        entry.voters += 1
    return found
