"""People: one person's spellings match, different people's do not, and attributions map
to the side they speak for."""

from __future__ import annotations

import pytest

from summarize.memo.people import OUTLET_SIDE, cluster_people, person_key, same_person, side_of


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Putin", "Vladimir Putin"),
        ("President Vladimir Putin", "Vladimir V. Putin"),
        ("Sergey Lavrov", "Sergei Lavrov"),
        ("U.S. Secretary of State John Kerry", "Kerry"),
        ("Victoria Nuland", "Victoria Nulland"),
        ("barack obama", "Barack OBAMA"),
        ("Mr. Obama", "Obama"),
    ],
)
def test_names_of_one_person_match(a: str, b: str) -> None:
    assert same_person(person_key(a), person_key(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jeb Bush", "George Bush"),
        ("Susan Rice", "Condoleezza Rice"),
        ("Rice", "Price"),
        ("Sergei Lavrov", "Sergei Ryabkov"),
        ("John Kerry", "Joan Kerry"),
    ],
)
def test_names_of_different_people_do_not_match(a: str, b: str) -> None:
    assert not same_person(person_key(a), person_key(b))


def test_bare_surname_joins_only_an_unambiguous_person() -> None:
    keys = [person_key(n) for n in ("George Bush", "Jeb Bush", "Bush", "Vladimir Putin", "Putin")]
    groups = cluster_people(keys)
    assert [0] in groups and [1] in groups and [2] in groups
    assert [3, 4] in groups


@pytest.mark.parametrize(
    ("stated_by", "side"),
    [
        ("Kremlin press office", "Russia"),
        ("Putin's office", "Russia"),
        ("the Kremlin", "Russia"),
        ("White House", "United States"),
        ("a senior U.S. official", "United States"),
        ("TASS quoting Putin", "Russia"),
        ("Kerry", "United States"),
    ],
)
def test_attributions_map_to_the_side_they_speak_for(stated_by: str, side: str) -> None:
    people = [(person_key("Vladimir Putin"), "Russia"), (person_key("John Kerry"), "US")]
    assert side_of(stated_by, people, ["CNN"]) == (side, True)


@pytest.mark.parametrize(
    "stated_by", ["the article (unattributed)", "CNN", "USPA News (unattributed)"]
)
def test_an_outlets_own_reporting_is_no_party(stated_by: str) -> None:
    assert side_of(stated_by, [], ["CNN"]) == (OUTLET_SIDE, False)


# Names as the real articles of fixtures/corpus-languages and fixtures/corpus write them.
@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("جو بايدن", "Joe Biden"),
        ("فلاديمير بوتين", "Vladimir Putin"),
        ("رجب طیب اردوغان", "Recep Tayyip Erdoğan"),
        ("문재인", "Moon Jae-in"),
        ("기시다 후미오", "Fumio Kishida"),
        ("ドナルド・トランプ", "Donald Trump"),
        ("プーチン", "Vladimir Putin"),
    ],
)
def test_a_name_in_a_script_without_latin_vowels_joins_its_latin_spelling(
    written: str, latin: str
) -> None:
    others = ["Emmanuel Macron", "Xi Jinping", "Olaf Scholz", latin]
    keys = [person_key(n) for n in [written, *others]]
    assert same_person(keys[0], keys[-1])
    groups = cluster_people(keys)
    assert [0, len(keys) - 1] in groups
    assert all(not same_person(keys[0], person_key(n)) for n in others[:-1])


def test_a_name_two_latin_spellings_could_own_stays_apart() -> None:
    # بايدن (b-d-n) could be Biden or Baden: with two owners it joins neither.
    keys = [person_key(n) for n in ["جو بايدن", "Joe Biden", "Anna Baden"]]
    assert [0] in cluster_people(keys)
