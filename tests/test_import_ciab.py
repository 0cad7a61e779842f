"""`circlekit import ciab`: a Course in a Box course (tests/fixtures/ciab-course, invented text)
becomes a course that checks, builds, and shows every picture offline."""

import json

import pytest
from authoring import fill_placeholders
from browser import block_outside, chromium
from conftest import FIXTURES, REPO, tree_digest

from circlekit.checks import check
from circlekit.cli import main
from circlekit.errors import CircleKitError
from circlekit.importers.ciab import import_ciab

CIAB = FIXTURES / "ciab-course"
SLUG = "seed-swap"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def cells(root, rel):
    return json.loads((root / rel).read_text())["cells"]


def sources(root, rel, kind=None):
    return ["".join(c["source"]) for c in cells(root, rel) if kind in (None, c["cell_type"])]


def test_the_report_names_every_place_an_author_must_decide(kit, capsys):
    before = tree_digest(CIAB)
    assert main(["--root", str(kit), "import", "ciab", str(CIAB), "--slug", SLUG]) == 0
    out = capsys.readouterr().out.splitlines()
    seed = "modules/getting-started/_posts/2021-03-02-what-is-a-seed.md"
    drying = "modules/keeping-seeds/_posts/2021-03-09-drying.md"
    for line in (
        f"{seed}:11: video https://www.youtube.com/embed/inventedA1 is now a link card "
        "(it needs the internet)",
        f"{drying}:8: video https://player.example.org/video/inventedB2 is now a link card "
        "(it needs the internet)",
        f"{seed}:24: link to ../../planning/old-notes/ could not be resolved; it is now plain text",
        f"{seed}:5: <style> block dropped: the book has its own styles",
        f"{seed}:28: Liquid tag not supported, dropped: "
        '{% include tip.html content="Label every packet." %}',
        f"{drying}:10: picture https://images.example.org/jars.jpg is loaded from another site "
        "(hot-linked); it is now a plain link: save a copy in img/ if its licence allows",
        f"{drying}:12: picture ../../../img/envelope.png is missing from the course",
        f"{drying}:18: a discussion heading with no questions under it; add some, or remove the "
        "heading",
        "modules/keeping-seeds: week 2: the suggested times fill 85 of 90 minutes, leaving 5 free "
        "(under 10); shorten something",
        "modules/design-notes: module not listed in _data/course.yml: its 1 page(s) went into the "
        "week 1 facilitator guide as notes",
        "modules/getting-started: week 1 is titled 'Getting started' from its folder name; check "
        f"the title in notebooks/{SLUG}/course.yml",
        "modules/getting-started/_posts/2021-03-04-extra.Rmd: .Rmd pages are not supported (only "
        "Markdown); skipped",
    ):
        assert line in out, (line, out)
    flagged = [line for line in out if "NonCommercial or NoDerivatives" in line]
    assert [line.split(": ")[0] for line in flagged] == [f"{drying}:16", "credits.md:9"]
    assert out[-1].startswith(
        f"import ciab: wrote course {SLUG}: 2 video(s), 1 unresolved link(s), 2 flagged asset(s)"
    )
    assert tree_digest(CIAB) == before  # the source folder is only read

    # Only the pictures the pages use are copied, into the course's img/ folder.
    assert sorted(p.name for p in (kit / f"notebooks/{SLUG}/img").iterdir()) == [
        "chart-nc.png", "pod.png", "seed.png"
    ]
    week1 = f"notebooks/{SLUG}/01-getting-started.ipynb"
    text = "\n".join(sources(kit, week1))
    assert '<img src="img/seed.png" alt="A bean seed cut in half" width="300">' in text
    assert "![A dry pod full of seeds](img/pod.png)" in text
    assert "[glossary](glossary.md)" in text
    assert "[keeping seeds dry](02-keeping-seeds.ipynb#drying-and-storing)" in text
    assert "<style>" not in text and "{%" not in text
    assert text.count("Welcome and check-in") == 2  # in the plan and as the section's heading
    code = sources(kit, week1, "code")
    assert f'Discussion("{SLUG}-1-discussion-1", "Which seeds would people in our town want to ' \
        'swap?")' in code
    assert f'CheckIn("{SLUG}-1-check-in", "What did you grow last year, if anything?")' in code
    assert not any("code block" in c for c in code)  # never a question from inside code
    guide = "\n".join(sources(kit, f"facilitator/{SLUG}/01-getting-started.ipynb"))
    assert "| 15 | What is a seed? |" in guide
    assert "Bring paper envelopes" in guide  # the hidden module's notes
    # A guide reaches the course's pictures by their path from the kit's root.
    assert f"![A table with seed packets](/notebooks/{SLUG}/img/pod.png)" in guide
    assert "1 video(s) as links" in guide

    # Until the AUTHOR lines are filled in, check fails on them and on nothing else.
    problems = check(kit).problems
    assert problems and all("AUTHOR placeholder" in p.message for p in problems), problems


def test_the_import_refuses_to_overwrite_and_rejects_a_folder_that_is_not_ciab(kit, tmp_path):
    import_ciab(kit, CIAB, slug=SLUG)
    marker = kit / f"notebooks/{SLUG}/glossary.md"
    marker.write_text(marker.read_text() + "\nMy own line.\n")
    saved = tree_digest(kit)
    with pytest.raises(CircleKitError, match="already exists"):
        import_ciab(kit, CIAB, slug=SLUG)
    assert tree_digest(kit) == saved
    with pytest.raises(CircleKitError, match="not a Course in a Box course"):
        import_ciab(kit, tmp_path, slug="other")
    assert not (kit / "notebooks/other").exists()


def test_the_filled_in_import_checks_builds_strictly_and_shows_every_picture_offline(
    kit, capsys, tmp_path
):
    import_ciab(kit, CIAB, slug=SLUG)
    fill_placeholders(kit, SLUG)
    assert main(["--root", str(kit), "check", "--fix"]) == 0, capsys.readouterr().out
    code = main(["--root", str(kit), "build", "--course", SLUG, "--strict"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    html = kit / "_build/html/notebooks" / SLUG
    assert (html / "glossary.html").is_file()

    with chromium() as browser:
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            attempted = block_outside(page)
            shown = {}
            for name in ("01-getting-started", "02-keeping-seeds"):
                page.goto((html / f"{name}.html").as_uri())
                page.wait_for_load_state("load")
                images = page.locator("main img")
                for i in range(images.count()):
                    img = images.nth(i)
                    loaded = img.evaluate("i => i.complete && i.naturalWidth > 0")
                    shown[img.get_attribute("alt")] = loaded
                problems = axe_main(page)
                assert problems == [], (name, width, problems)
            assert shown == {
                "A bean seed cut in half": True,
                "A dry pod full of seeds": True,
                "A chart of sprouting rates": True,
                "Seeds drying on paper": True,  # unwrapped from its <p>, so the book copies it
            }, shown
            assert attempted == []
            page.close()


def axe_main(page) -> list[str]:
    """axe-core's critical and serious findings in the imported text of the page.

    The theme's buttons and myst-nb's show/hide toggle of hide-input cells are on every page of
    the book and are not the import's; they are left out.
    """
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const result = await axe.run({include: [['article.bd-article']],
                                        exclude: [['.tag_hide-input']]},
                                       {resultTypes: ['violations']});
          return result.violations.map(v => ({id: v.id, impact: v.impact,
                                              nodes: v.nodes.map(n => n.html.slice(0, 160))}));
        }"""
    )
    return [f"{v['impact']} {v['id']}: {v['nodes'][:3]}" for v in found
            if v["impact"] in ("critical", "serious")]
