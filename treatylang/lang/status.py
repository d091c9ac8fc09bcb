"""The model's status: how sure each article's text is and whether its rules were reviewed, counted once.

Read from the `source` and `reviewed`/`unreviewed` clauses of the articles (docs/language.md, "The
model's status"). `treaty check` prints `summary()`, the reports print it in their header, the JSON result
carries `to_json()` under "treaty", and explanations print `article_status` beside a conclusion.
"""

from __future__ import annotations

import attrs

from treatylang.lang import syntax as s

TEXT_KEYS = (*s.SOURCE_KINDS, "no_text", "source_undeclared")


@attrs.frozen
class ModelStatus:
    preamble: bool  # whether the counts include a preamble
    articles: int  # article blocks (each dated version is one), the preamble included
    text: dict  # TEXT_KEYS -> how many articles: by `source` kind, with no text, with a text and no `source`
    with_rules: int  # articles that have rules
    reviewed: int  # of those, declared `reviewed`
    unreviewed: int  # of those, declared `unreviewed`

    @property
    def declared(self) -> bool:
        """Whether any article declares a source or a review (else the reports say nothing of it)."""
        return self.text["source_undeclared"] + self.text["no_text"] < self.articles or self.reviewed + self.unreviewed > 0

    def to_json(self) -> dict:
        return {"articles": self.articles, **self.text, "with_rules": self.with_rules, "reviewed": self.reviewed,
                "unreviewed": self.unreviewed}

    def summary(self) -> str:
        """'preamble and 17 articles: 9 paraphrase, 7 press summary only, 2 with no text; rules reviewed in 4
        of 10 articles with rules (6 unreviewed)'."""
        words = {**s.SOURCE_KINDS, "no_text": "with no text", "source_undeclared": "with no declared source"}
        counts = ", ".join(f"{n} {words[k]}" for k, n in self.text.items() if n) or "none"
        numbered = self.articles - self.preamble
        what = f"{numbered} article{'' if numbered == 1 else 's'}"
        line = f"{'preamble and ' if self.preamble else ''}{what}: {counts}"
        if not self.with_rules:
            return line + "; no rules"
        line += f"; rules reviewed in {self.reviewed} of {self.with_rules} article{'' if self.with_rules == 1 else 's'} with rules"
        undeclared = self.with_rules - self.reviewed - self.unreviewed
        rest = [f"{n} {w}" for n, w in ((self.unreviewed, "unreviewed"), (undeclared, "not declared")) if n]
        return line + (f" ({', '.join(rest)})" if rest else "")


def model_status(tree: s.TreatyFile) -> ModelStatus:
    blocks = tree.blocks
    text = dict.fromkeys(TEXT_KEYS, 0)
    for a in blocks:
        key = a.source.kind if a.source is not None else "source_undeclared" if a.texts else "no_text"
        text[key] += 1
    ruled = [a for a in blocks if a.rules]
    return ModelStatus(
        preamble=tree.preamble is not None, articles=len(blocks), text=text, with_rules=len(ruled),
        reviewed=sum(1 for a in ruled if a.review is not None and a.review.reviewed),
        unreviewed=sum(1 for a in ruled if a.review is not None and not a.review.reviewed),
    )


def article_status(article: s.Article) -> str | None:
    """What an explanation says of the article of a conclusion when its text is not verbatim or its rules
    were not reviewed: 'its text is a paraphrase; its rules have not been reviewed (why)'. (Where the text
    comes from is left to the treaty file: the explanation says how sure it is.) None when the article says
    it is verbatim and reviewed, or says nothing (`treaty check --strict` asks for it)."""
    parts = []
    src, review = article.source, article.review
    if src is not None and src.kind != "verbatim":
        parts.append("its text is " + ("a paraphrase" if src.kind == "paraphrase" else "known from a press summary only"))
    if review is not None and not review.reviewed and article.rules:
        parts.append("its rules have not been reviewed" + (f" ({review.note})" if review.note else ""))
    if not parts:
        return None
    return f"status of {article.label}: " + "; ".join(parts)
