"""Rebasing a proposal onto a clause that has moved on since it was written."""

from charter.text.merging import rebase

BASE = (
    "We keep joined data for no longer than two years. "
    "We check every year whether we still need it. "
    "We publish what we deleted."
)


def test_unchanged_head_takes_the_proposal_as_is():
    proposed = BASE.replace("two years", "one year")
    result = rebase(BASE, proposed, BASE)
    assert result.clean and result.text == proposed


def test_edit_elsewhere_in_the_clause_merges_cleanly():
    proposed = BASE.replace("two years", "one year")
    head = BASE.replace("We publish what we deleted.", "We publish a list of what we deleted.")
    result = rebase(BASE, proposed, head)
    assert result.clean
    assert result.text == (
        "We keep joined data for no longer than one year. "
        "We check every year whether we still need it. "
        "We publish a list of what we deleted."
    )


def test_edit_of_the_same_words_fails_instead_of_guessing():
    proposed = BASE.replace("no longer than two years", "no longer than one year")
    head = BASE.replace(
        "no longer than two years", "as short a time as we can, never over 18 months"
    )
    result = rebase(BASE, proposed, head)
    assert not result.clean and result.failed >= 1


def test_text_moved_and_still_found_applies():
    proposed = BASE.replace("every year", "every six months")
    head = "Our promise. " + BASE
    result = rebase(BASE, proposed, head)
    assert result.clean and result.text == "Our promise. " + proposed


def test_a_proposal_identical_to_its_base_changes_nothing():
    head = BASE + " More."
    assert rebase(BASE, BASE, head).text == head


def test_non_ascii_text():
    base = "Données personnelles 🙂 protégées. Nous supprimons après un an."
    proposed = base.replace("un an", "six mois")
    head = "Préambule. " + base
    result = rebase(base, proposed, head)
    assert result.clean and result.text == "Préambule. " + proposed
