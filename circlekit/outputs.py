"""A cell's outputs, kept to a size a page (and the build's memory and cache) can carry.

A cell that prints 100 MB would otherwise become a 100 MB page, and as big a cache entry.
The limits are documented in CONTRIBUTING.md ("Big outputs"); what was cut is said in the page,
where it happened, and in the terminal.
"""

from __future__ import annotations

from typing import Any

TEXT_LIMIT = 1_000_000  # characters of one printed text (a stream or a plain-text result)
KEEP = 100_000  # characters kept from each end of a text that is too long
CELL_LIMIT = 5_000_000  # characters of all of a cell's outputs together (images included)


def _size(output: dict[str, Any]) -> int:
    total = len(output.get("text", ""))
    for value in (output.get("data") or {}).values():
        total += len(value) if isinstance(value, str) else len(str(value))
    total += sum(len(line) for line in output.get("traceback", ()))
    return total


def _megabytes(chars: int) -> str:
    return f"{chars / 1_000_000:.1f} MB"


def _cut(text: str) -> str:
    left_out = len(text) - 2 * KEEP
    note = (
        f"\n\n[... circlekit: {left_out:,} characters of this output were left out here; "
        f"a cell shows at most {_megabytes(TEXT_LIMIT)} of text, so the build kept "
        f"the first and last {KEEP:,} ...]\n\n"
    )
    return text[:KEEP] + note + text[-KEEP:]


def cap_outputs(cell: dict[str, Any], number: int) -> list[str]:
    """Cut the outputs of an executed cell to the limits; return a note for each cut.

    `number` is the cell's 1-based number, as the notes name it.
    """
    notes = []
    for output in cell.get("outputs", ()):
        if output.get("output_type") == "stream" and len(output.get("text", "")) > TEXT_LIMIT:
            notes.append(f"cell {number}: printed {_megabytes(len(output['text']))} of text; "
                         f"the page shows its first and last {KEEP:,} characters")
            output["text"] = _cut(output["text"])
        plain = (output.get("data") or {}).get("text/plain")
        if isinstance(plain, str) and len(plain) > TEXT_LIMIT:
            notes.append(f"cell {number}: its result is {_megabytes(len(plain))} of text; "
                         f"the page shows its first and last {KEEP:,} characters")
            output["data"]["text/plain"] = _cut(plain)
    kept, used = [], 0
    outputs = list(cell.get("outputs", ()))
    for output in outputs:
        size = _size(output)
        if used + size > CELL_LIMIT:
            break
        kept.append(output)
        used += size
    if len(kept) < len(outputs):
        dropped = sum(_size(o) for o in outputs[len(kept):])
        text = (f"[... circlekit: {len(outputs) - len(kept)} more output(s) of this cell "
                f"({_megabytes(dropped)}) were left out; a cell shows at most "
                f"{_megabytes(CELL_LIMIT)} ...]\n")
        kept.append({"output_type": "stream", "name": "stdout", "text": text})
        cell["outputs"] = kept
        notes.append(f"cell {number}: its outputs came to {_megabytes(used + dropped)}; the page "
                     f"shows the first {_megabytes(used)}")
    return notes
