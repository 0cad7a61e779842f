"""Week 2: a mini-web sandbox. An offline search over invented sites; each site has its own
About page and what other sites say about it. Learners scan results first, read laterally and
record a verdict per source; the sandbox counts how many they checked off-site before deciding
and scores the verdicts against the key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lab.show import (
    DARK_BLUE,
    DARK_GREEN,
    DARK_RED,
    GREY_TEXT,
    LABEL_WIDE,
    Controls,
    Live,
    box_html,
    esc,
    read_json,
    show,
    show_html,
    table_html,
    wide,
)

STOP_WORDS = frozenset("a an and the is to of in it for on are be was what do i my our".split())


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    domain: str
    snippet: str
    about: str
    others: tuple[str, ...]
    funded: str
    key: str
    why: str


def load_sites() -> tuple[str, list[str], list[Site]]:
    """(the question, the verdict choices, the sites)."""
    data = read_json("sites.json")
    sites = [Site(s["id"], s["name"], s["domain"], s["snippet"], s["about"],
                  tuple(s["others"]), s["funded"], s["key"], s["why"]) for s in data["sites"]]
    return data["question"], list(data["verdicts"]), sites


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP_WORDS}


def search(sites: list[Site], query: str) -> list[Site]:
    """Sites that share a word with the query, most shared words first (ties: index order)."""
    wanted = words(query)
    scored = [(len(wanted & words(f"{s.name} {s.snippet} {s.about}")), i, s)
              for i, s in enumerate(sites)]
    return [s for n, _, s in sorted(scored, key=lambda t: (-t[0], t[1])) if n > 0]


@dataclass
class Sandbox:
    """What one learner did: which sites they opened, read about elsewhere, and decided."""

    sites: list[Site]
    opened: set[str] = field(default_factory=set)
    lateral: set[str] = field(default_factory=set)
    verdicts: dict[str, str] = field(default_factory=dict)
    checked_first: set[str] = field(default_factory=set)  # read elsewhere before deciding

    def site(self, site_id: str) -> Site:
        for site in self.sites:
            if site.id == site_id:
                return site
        raise KeyError(f"no site with id {site_id!r} in data/sites.json")

    def open(self, site_id: str) -> Site:
        self.opened.add(site_id)
        return self.site(site_id)

    def read_laterally(self, site_id: str) -> Site:
        self.lateral.add(site_id)
        return self.site(site_id)

    def decide(self, site_id: str, verdict: str) -> None:
        self.site(site_id)  # an unknown id fails here, before anything is recorded
        if site_id in self.lateral:
            self.checked_first.add(site_id)
        else:
            self.checked_first.discard(site_id)
        self.verdicts[site_id] = verdict

    def score(self) -> tuple[int, int]:
        """(verdicts that match the key, verdicts given)."""
        right = sum(1 for sid, v in self.verdicts.items() if self.site(sid).key == v)
        return right, len(self.verdicts)

    def summary(self) -> str:
        right, given = self.score()
        if not given:
            return "No verdicts yet."
        return (f"You gave {given} verdicts. You read about {len(self.checked_first)} of those "
                f"{given} sources on other sites before deciding. {right} of {given} match the "
                "key.")


def results_html(results: list[Site], query: str) -> str:
    if not results:
        return box_html(f"No results for: {query}", "<p>Try other words, like: water safe.</p>")
    items = "".join(
        f'<li style="margin:0.4em 0"><b style="color:{DARK_BLUE}">{esc(s.name)}</b><br>'
        f'<span style="color:{DARK_GREEN}">{esc(s.domain)}</span><br>{esc(s.snippet)}</li>'
        for s in results
    )
    return box_html(f"Results for: {query} ({len(results)} sites)",
                    f'<ol style="padding-left:1.2em">{items}</ol>')


def page_html(site: Site, lateral: bool) -> str:
    if lateral:
        items = "".join(f"<li>{esc(o)}</li>" for o in site.others)
        return box_html(f"What other sites say about {site.name}",
                        f"<ul>{items}</ul><p><b>Who pays for it:</b> {esc(site.funded)}</p>",
                        border=DARK_GREEN)
    return box_html(f"{site.name} ({site.domain}), About us",
                    f"<p>{esc(site.about)}</p>"
                    f'<p style="color:{GREY_TEXT}">This is what the site says about itself.</p>')


def key_html(sites: list[Site]) -> str:
    return table_html(["Site", "Key", "Why"], [[s.name, s.key, s.why] for s in sites],
                      "The course team's verdicts for this question")


def mini_web() -> None:
    """The search box, the results, and the tools to open, look around and decide."""
    import ipywidgets as w

    question, choices, sites = load_sites()
    box = Sandbox(sites)
    show_html(box_html("The question", f"<p>{esc(question)}</p>", border=DARK_BLUE),
              "(the question)")
    query = w.Text(value="Maple Falls water safe", description="Search the mini-web:",
                   style=LABEL_WIDE, layout=wide(min_width="20em"))
    go = w.Button(description="Search", button_style="primary")
    pick = w.Dropdown(options=[(s.name, s.id) for s in sites], description="Source:",
                      style=LABEL_WIDE, layout=wide())
    open_btn = w.Button(description="Open the site itself", layout=wide())
    side_btn = w.Button(description="Read what others say", layout=wide())
    verdict = w.RadioButtons(options=choices, value=None, description="My verdict:",
                             style=LABEL_WIDE, layout=wide())
    decide = w.Button(description="Record my verdict", button_style="primary", layout=wide())
    key_btn = w.Button(description="Show the key", layout=wide())

    controls = w.VBox([w.HBox([query, go], layout=w.Layout(flex_flow="row wrap")),
                       pick, w.HBox([open_btn, side_btn], layout=w.Layout(flex_flow="row wrap")),
                       verdict, w.HBox([decide, key_btn], layout=w.Layout(flex_flow="row wrap"))])
    show(Controls(controls, lambda: [("Search the mini-web", query.value),
                                     ("Source", pick.label or ""),
                                     ("Buttons", "Search, Open the site itself, Read what "
                                      "others say, Record my verdict, Show the key")],
                  "Mini-web tools"))
    results = Live(results_html(search(sites, query.value), query.value), "(search results)")
    page = Live("<p>Pick a source, then open it or read what others say about it.</p>",
                "(a page)")
    tally = Live(f"<p>{esc(box.summary())}</p>", "(your verdicts)")

    go.on_click(lambda _b: results.update(results_html(search(sites, query.value), query.value)))
    open_btn.on_click(lambda _b: page.update(page_html(box.open(pick.value), False)))
    side_btn.on_click(lambda _b: page.update(page_html(box.read_laterally(pick.value), True)))

    def record(_b: object) -> None:
        if verdict.value is None:
            tally.update(f'<p style="color:{DARK_RED}">Pick a verdict first.</p>'
                         f"<p>{esc(box.summary())}</p>")
            return
        box.decide(pick.value, verdict.value)
        rows = [[box.site(sid).name, v, "yes" if sid in box.checked_first else "no"]
                for sid, v in box.verdicts.items()]
        tally.update(f"<p>{esc(box.summary())}</p>" + table_html(
            ["Source", "My verdict", "Read elsewhere first?"], rows, "My verdicts so far"))

    decide.on_click(record)
    key_btn.on_click(lambda _b: page.update(key_html(sites)))
