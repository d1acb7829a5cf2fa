from bot.channel_text import CHOICE_HINT, numbered_choices, resolve_choice, split_text

BUTTONS = [{"title": "Oui", "payload": "/affirmer"}, {"title": "Non", "payload": "/nier"},
           {"title": "Je ne sais pas", "payload": "/ne_sait_pas"}]


def test_choices_are_numbered_without_payloads():
    text = numbered_choices("Avez-vous le permis ?", BUTTONS)
    assert text.splitlines() == ["Avez-vous le permis ?", "", "1. Oui", "2. Non", "3. Je ne sais pas", CHOICE_HINT]
    assert "/" not in text


def test_the_number_or_the_words_select_a_choice():
    assert resolve_choice("2", BUTTONS) == "/nier"
    assert resolve_choice(" 3. ", BUTTONS) == "/ne_sait_pas"
    assert resolve_choice("je ne sais pas", BUTTONS) == "/ne_sait_pas"
    assert resolve_choice("NON", BUTTONS) == "/nier"


def test_other_answers_are_left_alone():
    assert resolve_choice("4", BUTTONS) is None
    assert resolve_choice("32 ans", BUTTONS) is None
    assert resolve_choice("2", []) is None


def test_long_answers_are_cut_at_boundaries_within_the_limit():
    paragraphs = "\n\n".join(f"Aide {i} : " + "mot " * 40 for i in range(30))
    parts = split_text(paragraphs, 1600)
    assert len(parts) > 1 and all(len(part) <= 1600 for part in parts)
    assert all(part.startswith("Aide") for part in parts)
    assert " ".join(parts).replace("\n", " ").split() == paragraphs.replace("\n", " ").split()
    assert split_text("x" * 5000, 1600) == ["x" * 1600, "x" * 1600, "x" * 1600, "x" * 200]
