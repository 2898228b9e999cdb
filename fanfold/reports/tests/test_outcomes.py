"""The sentence reporters get: what happened to the content, never how a member was
sanctioned."""

from fanfold.reports.outcomes import outcome_sentence


def test_each_combination_reads_as_one_sentence():
    assert outcome_sentence(kind="work", actions=[]) == (
        "We looked at the work you reported and found that it does not break the archive's "
        "rules, so it stays as it is."
    )
    assert outcome_sentence(kind="bookmark", actions=["hide"]) == (
        "We looked at the bookmark you reported and hid it."
    )
    assert outcome_sentence(kind="work", actions=["require_tags", "ban", "warn"]) == (
        "We looked at the work you reported and asked its creators to correct its tags (it is "
        "hidden until they do) and took action on the account responsible."
    )
    three = outcome_sentence(kind="chapter", actions=["hide", "require_rating", "suspend"])
    assert three.count(",") == 1 and three.endswith("and took action on the account responsible.")
    assert "suspend" not in three and "ban" not in outcome_sentence(kind="user", actions=["ban"])
