"""An article's text cut into the passages an explanation quotes: sentences, and the limbs of a sentence.

A rule's `quote "phrase"` names the words of its article it encodes; the explanation quotes the passage
that holds them (the sentence, or the limb of it between semicolons), never a cut at a character count.
The checks use `find` to refuse a phrase the text does not hold; treatylang.explain quotes `passage`.
"""

from __future__ import annotations

import re

# the end of a passage: a full stop, ? or ! (then the next sentence starts with a capital, a quote or a
# bracket), or a semicolon (a limb of a long sentence: "not to ...; not to ..."); closing quotes go with it
_END = re.compile(r"""[.!?;]["'\u201d\u2019\u00bb)\]]*(?=\s+\S)""")
_NUMBERED = re.compile(r"\([0-9a-z]{1,4}\) ")
_ABBREVIATIONS = frozenset({"art", "arts", "no", "nos", "para", "paras", "res", "cf", "mr", "dr", "st", "vol", "p", "pp"})
MAX_HINT_WORDS = 40  # a phrase longer than this gets no "did you mean": comparing windows costs too much
MAX_HINT_TEXT = 2_000  # words of a text compared for a "did you mean" (an article is far shorter)
MAX_HINT_WINDOWS = 1_000  # runs of words compared with the phrase, at most


def normal(text: str) -> str:
    """The text with its layout folded: single spaces, as the explanation prints it."""
    return " ".join(text.split())


def _starts_sentence(text: str, dot: int, after: int) -> bool:
    """Whether a full stop at `dot` ends a sentence: the text after it (from `after`) starts with a capital,
    and the word before it is no abbreviation ('art. 3', 'U.S. forces', 'J. Smith')."""
    rest = text[after:].lstrip()
    first = rest.lstrip("\"'\u201c\u2018\u00ab([")[:1]
    if not (first.isupper() or _NUMBERED.match(rest)):  # 'The next', '"Such', or a numbered paragraph '(2) ...'
        return False
    word = re.search(r"(\S+)$", text[:dot])
    token = word.group(1).lstrip("\"'(\u201c\u00ab") if word else ""
    return not (token.casefold() in _ABBREVIATIONS or "." in token or len(token) == 1)


def segments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, starts_a_sentence) of each passage of a normalised text, in order."""
    out, start, fresh = [], 0, True
    for m in _END.finditer(text):
        mark = m.group()[0]
        if mark == "." and not _starts_sentence(text, m.start(), m.end()):
            continue
        out.append((start, m.end(), fresh))
        start = m.end() + 1  # the one space after it (the text is normalised)
        fresh = mark != ";"
    if start < len(text):
        out.append((start, len(text), fresh))
    return out


def find(texts, phrase: str) -> str | None:
    """The first of the (normalised) texts that holds the phrase, or None."""
    wanted = normal(phrase)
    return next((t for t in map(normal, texts) if wanted and wanted in t), None)


def passage(text: str, phrase: str | None = None) -> str | None:
    """The passage of `text` that holds `phrase` (without one, the first sentence, whole), as an explanation
    quotes it: a limb that does not start its sentence begins with '… ', one cut before a semicolon ends ' …'."""
    text = normal(text)
    parts = segments(text)
    if not parts:
        return None
    chosen = parts[:next((i for i, p in enumerate(parts) if i and p[2]), len(parts))]  # the first sentence
    if phrase:
        at = text.find(normal(phrase))
        if at >= 0:
            end = at + len(normal(phrase))
            chosen = [p for p in parts if p[0] < end and p[1] > at] or chosen
    start, stop = chosen[0][0], chosen[-1][1]
    out = text[start:stop]
    if not chosen[0][2]:
        out = "… " + out
    if out.endswith(";"):
        out = out[:-1] + " …"
    return out


def closest(texts, phrase: str) -> str | None:
    """The run of words of the texts nearest the phrase (for a "did you mean"), or None when none is near."""
    words = normal(phrase).split()
    if not words or len(words) > MAX_HINT_WORDS:
        return None
    import difflib  # on use: only a treaty with a misquoted phrase pays for importing it

    windows = {}
    for t in texts:
        tw = t.split()[:MAX_HINT_TEXT]
        for size in {max(len(words) - 1, 1), len(words), len(words) + 1}:
            for i in range(max(len(tw) - size + 1, 0)):
                run = " ".join(tw[i:i + size]).rstrip(";,:.")
                windows.setdefault(run.casefold(), run)
    if len(windows) > MAX_HINT_WINDOWS:  # a long text: only the runs that share a word with the phrase
        wanted = {w.casefold() for w in words}
        windows = {k: v for k, v in windows.items() if wanted & set(k.split())}
    match = difflib.get_close_matches(" ".join(words).casefold(), list(windows)[:MAX_HINT_WINDOWS], n=1, cutoff=0.6)
    return windows[match[0]] if match else None
