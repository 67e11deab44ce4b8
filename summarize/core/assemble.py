"""Turn a model's `Extraction` into a grounded `Brief` (pure).

Here the model's words meet the article: cited sentence numbers become the article's own
text (an item citing nothing is dropped with a warning, a participant its sentences do not
name is kept with a "weak" warning), dates are resolved against the publication date, ids and
provenance are added. Nothing the model says is kept without a place in the text to point at.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarize.core import brief, extraction
from summarize.core.article import Article
from summarize.core.brief import EventStatus
from summarize.core.dates import find_publication_date, resolve_date
from summarize.core.grounding import ArticleText, article_text, supports


@dataclass
class _Grounder:
    text: ArticleText
    warnings: list[brief.GroundingWarning]

    def evidence(
        self, path: str, numbers: list[int], names: tuple[str | None, ...] = ()
    ) -> brief.Evidence | None:
        """The cited text, or None (with a warning) when no cited number is a sentence.

        With `names`, cited text that mentions none of them is kept but marked weak.
        """
        found = self.text.cite(numbers)
        if found is None:
            reason = (
                "no sentence cited"
                if not numbers
                else f"cites no sentence of the article (it has {len(self.text.sentences)})"
            )
            self.warnings.append(
                brief.GroundingWarning(path=path, quote=str(numbers), reason=reason)
            )
            return None
        named = [n for n in names if n]
        if named and not any(supports(found, n) for n in named):
            self.warnings.append(
                brief.GroundingWarning(
                    path=path,
                    quote=found.quote,
                    reason=f"the cited sentences do not mention {named[0]}",
                    kind="weak",
                )
            )
        return found

    def as_written(self, path: str, value: str | None) -> str | None:
        """A date "as written" only if the article writes it; else dropped with a warning.

        Explicit dates resolve without an anchor, so an invented one would become a fact.
        """
        value = _clean(value)
        if value is None or self.text.mentions(value):
            return value
        self.warnings.append(
            brief.GroundingWarning(path=path, quote=value, reason="not written in the article")
        )
        return None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _source(x: extraction.Source, article: Article, text: ArticleText) -> brief.Source:
    """Page metadata first; the model's reading only where the page says nothing and the
    article shows what the model read."""
    published_text, published_date = article.published_text, article.published_date
    published_from = article.published_from
    claimed = _clean(x.published)
    if published_date is None and claimed and text.mentions(claimed):
        found = find_publication_date(claimed)
        if found is not None:
            published_text, published_date, published_from = claimed, found[1], "model"
    outlet, outlet_from = article.outlet, article.outlet_from
    if outlet is None and _clean(x.outlet) and text.mentions(x.outlet or ""):
        outlet, outlet_from = _clean(x.outlet), "model"
    if outlet is None and article.site:
        outlet, outlet_from = article.site, "domain"
    headline = _clean(x.headline)
    return brief.Source(
        outlet=outlet,
        # The model's headline when the article shows it: a capture's first line may be a
        # lede or a dateline rather than the title.
        headline=headline if headline and text.mentions(headline) else article.title,
        url=article.url,
        published_text=published_text,
        published_date=published_date,
        outlet_from=outlet_from,
        published_from=published_from if published_date or published_text else None,
    )


def _event(
    i: int, x: extraction.Event, article: Article, published: brief.Source, g: _Grounder
) -> brief.Event:
    at = f"events[{i}]"
    date_text = g.as_written(f"{at}.date_text", x.date_text)
    # Grounded in this order, so that warnings list the event's items as the brief does.
    participants = _participants(at, x, g)
    initiator = _initiator(at, x, g)
    outcomes = _outcomes(at, x, g)
    follow_ups = _follow_ups(at, x, published, g)
    return brief.Event(
        id=f"{article.id}#{i + 1}",
        event_type=x.event_type,
        status=x.status,
        date=resolve_date(
            date_text, published.published_date, status=x.status, context=g.text.text
        ),
        date_text=date_text,
        location=_clean(x.location),
        participants=participants,
        mentioned=[
            brief.Person(
                name=m.name.strip(),
                short_name=_short_name(m, g.text),
                title=_clean(m.title),
                affiliation=_clean(m.affiliation),
            )
            for m in x.mentioned
            if m.name.strip()
        ],
        initiator=initiator,
        topics=[t.strip() for t in x.topics if t.strip()],
        outcomes=outcomes,
        follow_ups=follow_ups,
        summary=x.summary.strip(),
    )


def _short_name(p: extraction.Person, text: ArticleText) -> str | None:
    """The model's short form of a name, only if the article uses it."""
    short = _clean(p.short_name)
    return short if short and text.mentions(short) else None


def _participants(at: str, x: extraction.Event, g: _Grounder) -> list[brief.Participant]:
    participants = []
    for j, p in enumerate(x.participants):
        ev = g.evidence(f"{at}.participants[{j}]", p.evidence, (p.name, p.short_name))
        if ev is not None:
            participants.append(
                brief.Participant(
                    name=p.name.strip(),
                    short_name=_short_name(p, g.text),
                    title=_clean(p.title),
                    affiliation=_clean(p.affiliation),
                    evidence=ev,
                )
            )
    return participants


def _initiator(at: str, x: extraction.Event, g: _Grounder) -> brief.Initiator:
    if not _clean(x.initiator.party):
        return brief.NOT_STATED
    # No support check: a party is named in many ways ("the American side", "Washington").
    ev = g.evidence(f"{at}.initiator", x.initiator.evidence)
    if ev is None:
        return brief.NOT_STATED
    return brief.Initiator(
        stated=True, party=_clean(x.initiator.party), basis=ev.quote, evidence=ev
    )


def _outcomes(at: str, x: extraction.Event, g: _Grounder) -> list[brief.Outcome]:
    outcomes = []
    for j, o in enumerate(x.outcomes):
        ev = g.evidence(f"{at}.outcomes[{j}]", o.evidence)
        if ev is not None:
            outcomes.append(
                brief.Outcome(
                    kind=o.kind,
                    statement=o.statement.strip(),
                    stated_by=o.stated_by.strip(),
                    evidence=ev,
                )
            )
    return outcomes


def _follow_ups(
    at: str, x: extraction.Event, published: brief.Source, g: _Grounder
) -> list[brief.FollowUp]:
    follow_ups = []
    for j, f in enumerate(x.follow_ups):
        ev = g.evidence(f"{at}.follow_ups[{j}]", f.evidence)
        if ev is not None:
            due = g.as_written(f"{at}.follow_ups[{j}].due", f.due)
            follow_ups.append(
                brief.FollowUp(
                    action=f.action.strip(),
                    responsible=[r.strip() for r in f.responsible if r.strip()],
                    due_text=due,
                    # A follow-up is announced for later: its date resolves forward.
                    due_date=resolve_date(
                        due, published.published_date, EventStatus.PLANNED, context=g.text.text
                    ),
                    evidence=ev,
                )
            )
    return follow_ups


def assemble_brief(
    x: extraction.Extraction, article: Article, provenance: brief.Provenance
) -> brief.Brief:
    """Ground, resolve and stamp one extraction; ungrounded items become warnings."""
    text = article_text(article)
    # What reading the answer changed comes first: it happened first.
    grounder = _Grounder(text=text, warnings=x.warnings())
    source = _source(x.source, article, text)
    unique: list[extraction.Event] = []
    for n, e in enumerate(x.events):
        if e in unique:
            # Small models repeat one event to the list's bound; repeats are not contacts.
            first = unique.index(e)
            grounder.warnings.append(
                brief.GroundingWarning(
                    path=f"events[{n}]",
                    quote=e.summary[:200],
                    reason=f"the model's event {n + 1} repeats its event {first + 1} word for "
                    "word; kept once",
                    kind="repeated",
                )
            )
        else:
            unique.append(e)
    events = [_event(i, e, article, source, grounder) for i, e in enumerate(unique)]
    reason = _clean(x.no_event_reason)
    if not events and reason is None:
        reason = "The model reported no event and gave no reason."
    return brief.Brief(
        article_id=article.id,
        source=source,
        events=events,
        no_event_reason=reason if not events else None,
        warnings=grounder.warnings,
        provenance=provenance,
    )
