"""Week 6: what a picture file says about where it came from. Reads the EXIF metadata of the
course's sample pictures with Pillow (no look-ups)."""

from __future__ import annotations

from pathlib import Path

from lab.show import DATA, GREY_TEXT, box_html, esc, show_html, table_html
from lab.trace import img_html

# The EXIF tags worth showing a reader, in plain words.
TAGS = {
    0x010F: "Camera maker",
    0x0110: "Camera model",
    0x0132: "Date and time",
    0x013B: "Made by",
    0x0131: "Software",
    0x010E: "Description",
}
SAMPLES = [
    ("pictures/camera.png", "Picture A"),
    ("pictures/generated.png", "Picture B"),
    ("pictures/shared.png", "Picture C"),
]


def read_metadata(path: Path) -> dict[str, str]:
    """The EXIF fields in TAGS that the file carries, by their plain name."""
    from PIL import Image

    with Image.open(path) as img:
        exif = img.getexif()
    return {label: str(exif[tag]) for tag, label in TAGS.items() if tag in exif}


def metadata_html(rel: str, name: str) -> str:
    fields = read_metadata(DATA / rel)
    if fields:
        info = table_html(["Field", "What the file says"], list(fields.items()),
                          f"Metadata inside {name}")
    else:
        info = (f'<p style="color:{GREY_TEXT}">No metadata at all. Many apps remove it when a '
                "picture is shared. That tells you nothing about whether it is real.</p>")
    return box_html(name, f'<div style="display:flex;flex-wrap:wrap;gap:1em">'
                          f"<div>{img_html(DATA / rel, f'{name}, an invented market scene')}</div>"
                          f"<div>{info}</div></div>")


def metadata_viewer() -> None:
    """The three sample pictures, each beside the metadata its file carries."""
    for rel, name in SAMPLES:
        show_html(metadata_html(rel, name), f"({name} and its metadata)")


def credentials_note() -> None:
    """What a Content Credentials label shows, as a card (no manifest is read here)."""
    items = "".join(f"<li>{esc(t)}</li>" for t in [
        "who made or published the picture (a news agency, a camera, an app)",
        "which tools changed it, including AI tools",
        "a digital seal: if anyone changes the picture later, the seal breaks",
    ])
    show_html(box_html("A Content Credentials label can show",
                       f"<ul>{items}</ul><p>If the label is missing, that proves nothing either "
                       "way: most pictures online do not have one yet.</p>"),
              "(a card)")
