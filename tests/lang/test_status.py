"""The model's status (`source`, `reviewed`, `unreviewed`) and a rule's `quote`: parsed, checked, counted,
and the passages an explanation quotes."""

import pytest

import treatylang
from treatylang.lang import passages
from treatylang.lang.status import article_status, model_status

HEAD = '''treaty t "T" signed 2020-01-01 in force on signature
party astoria "Astoria"
party belmont "Belmont"
event attack(target: actor, by: actor)
'''

ARTICLE_8 = '''article 8 "Non-aggression"
  text en """The parties undertake not to use force against one another; not to blockade another
    party's ports. This article binds the parties."""
'''

NO_FORCE = '''  rule no_force:
    for each member M:
    for each member O other than M:
    M must not use_force against O
    breached by attack(by: M, target: O)
'''


def errors_of(text: str, strict: bool = False) -> list:
    with pytest.raises(treatylang.TreatyError) as info:
        treatylang.parse_treaty(text, "s.treaty", strict=strict)
    return info.value.diagnostics


# ---- passages ---------------------------------------------------------------------------------
TEXT = ('The parties undertake not to use force; not to blockade "par les forces armées"; and not to '
        '"permettre" attacks. See art. 3(g) of the U.S. Code. (2) A numbered paragraph "ends here." Last.')


def test_a_text_is_cut_at_sentences_and_semicolons_not_at_abbreviations():
    starts = [TEXT[a:b] for a, b, _ in passages.segments(TEXT)]
    assert starts == ["The parties undertake not to use force;", 'not to blockade "par les forces armées";',
                      'and not to "permettre" attacks.', "See art. 3(g) of the U.S. Code.",
                      '(2) A numbered paragraph "ends here."', "Last."]
    assert [fresh for _, _, fresh in passages.segments(TEXT)] == [True, False, False, True, True, True]


def test_the_passage_of_a_phrase_marks_where_its_sentence_goes_on():
    assert passages.passage(TEXT, "blockade") == '… not to blockade "par les forces armées" …'
    assert passages.passage(TEXT, "permettre") == '… and not to "permettre" attacks.'
    assert passages.passage(TEXT, "U.S.") == "See art. 3(g) of the U.S. Code."
    assert passages.passage(TEXT, "Code. (2) A") == 'See art. 3(g) of the U.S. Code. (2) A numbered paragraph "ends here."'
    assert passages.passage(TEXT) == ('The parties undertake not to use force; not to blockade "par les forces '
                                      'armées"; and not to "permettre" attacks.')  # no quote: the first sentence


def test_layout_does_not_count_and_the_nearest_words_are_offered():
    text = "The parties   undertake\n  not to blockade ports."
    assert passages.find([text], "undertake not to") == "The parties undertake not to blockade ports."
    assert passages.find([text], "not to invade") is None
    assert passages.closest([text], "not to blokade") == "not to blockade"
    assert passages.closest([text], "something else entirely, with more words") is None


# ---- checks -----------------------------------------------------------------------------------
def test_a_quote_not_in_the_text_is_an_error_at_the_quote_with_the_nearest_words():
    text = HEAD + ARTICLE_8 + NO_FORCE + '    quote "not to use forse"\n'
    [d] = errors_of(text)
    assert (d.span.line, d.span.column) == (13, 5)
    assert d.message == "the quote of rule 'no_force' is not in the text of article 8"
    assert d.hint == "did you mean 'not to use force'?"


def test_a_quote_across_the_layout_of_a_long_text_is_found():
    text = HEAD + ARTICLE_8 + NO_FORCE + '    quote "not to blockade another party\'s ports"\n'
    treaty = treatylang.parse_treaty(text, "s.treaty")
    assert treaty.rule_by_name["no_force"].quote == "not to blockade another party's ports"


def test_a_quote_in_an_article_with_no_text_is_an_error():
    text = HEAD + 'article 8\n' + NO_FORCE + '    quote "anything"\n'
    assert [d.message for d in errors_of(text)] == ["rule 'no_force' quotes article 8, which has no text"]


def test_an_unknown_source_kind_and_a_source_without_text_are_errors():
    text = HEAD + ARTICLE_8 + '  source paraphase "ours"\n' + NO_FORCE + 'article 9\n  source verbatim "x"\n  note "n"\n'
    found = errors_of(text)
    assert [(d.span.line, d.message) for d in found] == [
        (8, "unknown source 'paraphase'; expected verbatim, paraphrase, press_summary"),
        (15, "article 9 has no text: 'source' says how sure the article's text is")]
    assert found[0].hint == "did you mean 'paraphrase'?"


@pytest.mark.parametrize("clauses", ['  source verbatim "a"\n  source paraphrase "b"\n',
                                     '  reviewed "a"\n  unreviewed\n'])
def test_an_article_says_its_status_once(clauses):
    [d] = errors_of(HEAD + ARTICLE_8 + clauses + NO_FORCE)
    assert d.message.startswith("the article says twice ")


def test_strict_asks_every_article_with_rules_for_its_status():
    bare = HEAD + ARTICLE_8 + NO_FORCE + 'article 9\n  text en "No rule."\n  note "n"\n'
    assert treatylang.parse_treaty(bare, "s.treaty").warnings == ()  # not without --strict
    [d] = errors_of(bare, strict=True)
    assert d.severity == "warning" and d.span.line == 5  # article 8; article 9 has no rule
    assert d.message == ("article 8 has rules but does not say how sure its text is ('source KIND \"...\"') nor "
                         "whether its rules were reviewed ('reviewed \"...\"' or 'unreviewed')")
    half = HEAD + ARTICLE_8 + '  source paraphrase "ours"\n' + NO_FORCE
    [d] = errors_of(half, strict=True)
    assert "nor" not in d.message and "whether its rules were reviewed" in d.message
    declared = HEAD + ARTICLE_8 + '  source paraphrase "ours"\n  unreviewed\n' + NO_FORCE
    assert treatylang.parse_treaty(declared, "s.treaty", strict=True).warnings == ()


# ---- counts and the explanation's line --------------------------------------------------------
def test_the_status_counts_every_block_and_says_what_is_undeclared():
    text = (HEAD + 'preamble\n  text en "Resolved."\n  source verbatim "the text"\n'
            + ARTICLE_8 + '  source paraphrase "ours"\n  reviewed "by a reader, 2026"\n' + NO_FORCE
            + 'article 9\n  text en "Promptly."\n  source press_summary "a summary"\n  unreviewed "changed"\n'
            + NO_FORCE.replace("no_force", "no_force_2")
            + 'article 10\n  text en "Undeclared."\n' + NO_FORCE.replace("no_force", "no_force_3")
            + 'article 11\n  note "Unknown."\n')
    treaty = treatylang.parse_treaty(text, "s.treaty")
    status = treaty.status
    assert status.to_json() == {"articles": 5, "verbatim": 1, "paraphrase": 1, "press_summary": 1, "no_text": 1,
                                "source_undeclared": 1, "with_rules": 3, "reviewed": 1, "unreviewed": 1}
    assert status.summary() == ("preamble and 4 articles: 1 verbatim, 1 paraphrase, 1 press summary only, "
                                "1 with no text, 1 with no declared source; rules reviewed in 1 of 3 articles "
                                "with rules (1 unreviewed, 1 not declared)")
    assert status.declared
    by_number = {a.number: a for a in treaty.syntax.articles}
    assert article_status(by_number["8"]) == "status of article 8: its text is a paraphrase"
    assert article_status(by_number["9"]) == ("status of article 9: its text is known from a press summary only; "
                                              "its rules have not been reviewed (changed)")
    assert article_status(by_number["10"]) is None  # says nothing: nothing to print (--strict asks)
    assert article_status(treaty.syntax.preamble) is None  # verbatim, no rules


def test_a_treaty_that_declares_nothing_is_not_declared():
    status = model_status(treatylang.parse_treaty(HEAD + ARTICLE_8 + NO_FORCE, "s.treaty").syntax)
    assert not status.declared
    assert status.summary() == ("1 article: 1 with no declared source; rules reviewed in 0 of 1 article with "
                                "rules (1 not declared)")


def test_only_the_first_misquotes_get_a_hint_and_a_long_text_is_compared_in_part():
    """Bounded cost on a hostile file: a hint compares the phrase with runs of the text's words."""
    from treatylang.lang import checks

    text = " ".join(f"word{i} shall assist." for i in range(3 * passages.MAX_HINT_TEXT))
    rules = "".join(NO_FORCE.replace("no_force", f"r{i}") + f'    quote "word{i} shal assist"\n'
                    for i in range(checks.QUOTE_HINTS + 5))
    found = errors_of(HEAD + f'article 1\n  text en "{text}"\n' + rules)
    hints = [d.hint for d in found if d.message.startswith("the quote of rule")]
    assert len(hints) == checks.QUOTE_HINTS + 5
    assert hints[:2] == ["did you mean 'word0 shall assist'?", "did you mean 'word1 shall assist'?"]
    assert all(h == "quote words of the article's text, as written" for h in hints[checks.QUOTE_HINTS:])
    beyond = f"word{passages.MAX_HINT_TEXT + 10} shall assist"  # past the words compared: never offered
    assert passages.closest([text], beyond.replace("shall", "shal")) != beyond
