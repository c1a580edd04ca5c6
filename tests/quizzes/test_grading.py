"""Fill-in grading: what is accepted, what is a typo, what is wrong, and what the page shows."""

import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizzes.grading import Grade, Segment, Verdict, grade, normalise

CORRECT, TYPO, WRONG = Verdict.CORRECT, Verdict.TYPO, Verdict.WRONG

# (typed, answer, alternatives, known_terms, verdict)
CASES = [
    # Chinese: script and width forgiven, never a near miss.
    pytest.param("权重衰减", "权重衰减", (), (), CORRECT, id="chinese-exact"),
    pytest.param("權重衰減", "权重衰减", (), (), CORRECT, id="traditional-for-simplified"),
    pytest.param("权重衰减", "權重衰減", (), (), CORRECT, id="simplified-for-traditional"),
    pytest.param("权重衰退", "权重衰减", (), (), WRONG, id="chinese-near-miss"),
    pytest.param("权重", "权重衰减", (), (), WRONG, id="chinese-prefix"),
    pytest.param("权重衰减。", "权重衰减", (), (), CORRECT, id="trailing-chinese-full-stop"),
    pytest.param("权重衰减！", "权重衰减", (), (), CORRECT, id="trailing-chinese-exclamation"),
    pytest.param("“注意力”", "注意力", (), (), CORRECT, id="chinese-quotes"),
    pytest.param("「注意力」", "注意力", (), (), CORRECT, id="corner-quotes"),
    pytest.param('"注意力"', "注意力", (), (), CORRECT, id="ascii-quotes-around-chinese"),
    pytest.param("自 注意力", "自注意力", (), (), CORRECT, id="space-inside-chinese"),
    pytest.param("自注意力", "自 注意力", (), (), CORRECT, id="missing-space-in-chinese"),
    pytest.param("  自注意力  ", "自注意力", (), (), CORRECT, id="surrounding-spaces"),
    pytest.param("自注意力\u3000", "自注意力", (), (), CORRECT, id="ideographic-space"),
    pytest.param("注意力机制", "注意力", (), (), WRONG, id="chinese-superstring"),
    pytest.param("自注意", "自注意力", (), (), WRONG, id="chinese-one-character-missing"),
    # Latin: case, width, spaces forgiven.
    pytest.param("adamw", "AdamW", (), (), CORRECT, id="lower-case"),
    pytest.param("ADAMW", "AdamW", (), (), CORRECT, id="upper-case"),
    pytest.param("ＡｄａｍＷ", "AdamW", (), (), CORRECT, id="full-width-latin"),
    pytest.param("Ｌ２", "L2", (), (), CORRECT, id="full-width-letter-and-digit"),
    pytest.param("AdamW.", "AdamW", (), (), CORRECT, id="trailing-full-stop"),
    pytest.param("AdamW？", "AdamW", (), (), CORRECT, id="trailing-full-width-question-mark"),
    pytest.param("Vision Transformer", "VisionTransformer", (), (), CORRECT, id="extra-space"),
    pytest.param("selfattention", "self attention", (), (), CORRECT, id="missing-space"),
    pytest.param("Adam W", "AdamW", ("Adam-W",), (), CORRECT, id="space-is-not-needed"),
    pytest.param("Adam-W", "AdamW", ("Adam-W",), (), CORRECT, id="alternative"),
    pytest.param("亚当W", "AdamW", ("亚当W",), (), CORRECT, id="chinese-alternative"),
    pytest.param("L1", "L2", (), (), WRONG, id="short-answer-never-fuzzy"),
    pytest.param("GELV", "GELU", (), (), WRONG, id="four-letters-never-fuzzy"),
    # Typos: one slip in a Latin answer of five letters or more.
    pytest.param("Transfromer", "Transformer", (), (), TYPO, id="typo-swap"),
    pytest.param("Transformr", "Transformer", (), (), TYPO, id="typo-deletion"),
    pytest.param("Transformerr", "Transformer", (), (), TYPO, id="typo-insertion"),
    pytest.param("Transfoamer", "Transformer", (), (), TYPO, id="typo-substitution"),
    pytest.param("transfromer", "Transformer", (), (), TYPO, id="typo-and-case"),
    pytest.param("Tranfsromer", "Transformer", (), (), WRONG, id="two-slips"),
    pytest.param("Adam", "AdamW", (), (), TYPO, id="typo-when-not-a-known-term"),
    pytest.param("Adam", "AdamW", (), ("Adam", "SGD"), WRONG, id="known-term-is-not-a-typo"),
    pytest.param("adam", "AdamW", (), ("ＡＤＡＭ",), WRONG, id="known-term-compared-normalised"),
    pytest.param("ResNet50", "ResNet-50", (), (), TYPO, id="typo-hyphen-dropped"),
    pytest.param("ResNet-51", "ResNet-50", (), (), WRONG, id="typo-never-on-a-digit"),
    pytest.param("ResNet-5", "ResNet-50", (), (), WRONG, id="dropped-digit"),
    pytest.param("Resnet-05", "ResNet-50", (), (), WRONG, id="swapped-digits"),
    pytest.param("Adan-W", "AdamW", ("Adam-W",), (), TYPO, id="typo-of-an-alternative"),
    pytest.param("Transformer器", "Transformer", (), (), WRONG, id="han-character-is-no-slip"),
    # Numbers: equal as numbers, never fuzzy.
    pytest.param("0.50", "0.5", (), (), CORRECT, id="trailing-zero"),
    pytest.param(".5", "0.5", (), (), CORRECT, id="leading-point"),
    pytest.param("0.05", "0.5", (), (), WRONG, id="decimal-near-miss"),
    pytest.param("1,000", "1000", (), (), CORRECT, id="thousands-separator"),
    pytest.param("1000", "1,000", (), (), CORRECT, id="separator-in-the-answer"),
    pytest.param("１，０００", "1000", (), (), CORRECT, id="full-width-number"),
    pytest.param("1e-3", "0.001", (), (), CORRECT, id="scientific-notation"),
    pytest.param("2020", "2020", (), (), CORRECT, id="year"),
    pytest.param("2021", "2020", (), (), WRONG, id="year-near-miss"),
    pytest.param("50%", "50%", (), (), CORRECT, id="percentage"),
    pytest.param("50", "50%", (), (), WRONG, id="percent-sign-matters"),
    pytest.param("1,00", "100", (), (), WRONG, id="bad-grouping-is-not-a-number"),
    # Code: case-sensitive, backticks and spacing around punctuation forgiven.
    pytest.param("yield", "`yield`", (), (), CORRECT, id="code-without-backticks"),
    pytest.param("`yield`", "`yield`", (), (), CORRECT, id="code-with-backticks"),
    pytest.param("Yield", "`yield`", (), (), WRONG, id="code-is-case-sensitive"),
    pytest.param("yeild", "`yield`", (), (), WRONG, id="code-never-fuzzy"),
    pytest.param("__init__", "`__init__`", (), (), CORRECT, id="dunder"),
    pytest.param("_init_", "`__init__`", (), (), WRONG, id="dunder-near-miss"),
    pytest.param("yield  from", "`yield from`", (), (), CORRECT, id="code-space-run"),
    pytest.param("yieldfrom", "`yield from`", (), (), WRONG, id="code-needs-word-spaces"),
    pytest.param("f( x , y )", "`f(x, y)`", (), (), CORRECT, id="code-spaces-by-punctuation"),
    pytest.param("yield。", "`yield`", (), (), CORRECT, id="code-chinese-full-stop"),
    pytest.param("println", "`println!`", (), (), WRONG, id="code-keeps-its-punctuation"),
    pytest.param("ｙｉｅｌｄ", "`yield`", (), (), CORRECT, id="code-full-width"),
    # Formulas: dollars and spaces removed, case kept, no blind NFKC.
    pytest.param("O(n^2)", "$O(n^2)$", (), (), CORRECT, id="formula-without-dollars"),
    pytest.param("O( n ^ 2 )", "$O(n^2)$", (), (), CORRECT, id="formula-spaces"),
    pytest.param("o(n^2)", "$O(n^2)$", (), (), WRONG, id="formula-is-case-sensitive"),
    pytest.param("O(n2)", "$O(n^2)$", (), (), WRONG, id="formula-caret-missing"),
    pytest.param("O(n²)", "$O(n^2)$", (), (), CORRECT, id="superscript-means-caret"),
    pytest.param("O(n2)", "O(n²)", (), (), WRONG, id="no-blind-nfkc"),
    pytest.param("x_1", "$x₁$", (), (), CORRECT, id="subscript-means-underscore"),
    # Nothing typed, or nothing like it.
    pytest.param("", "AdamW", (), (), WRONG, id="empty"),
    pytest.param("   ", "AdamW", (), (), WRONG, id="only-spaces"),
    pytest.param("。", "权重衰减", (), (), WRONG, id="only-punctuation"),
    pytest.param("SGD", "AdamW", ("Adam-W",), (), WRONG, id="unrelated"),
]


@pytest.mark.parametrize(("typed", "answer", "alternatives", "known_terms", "verdict"), CASES)
def test_verdict(typed, answer, alternatives, known_terms, verdict):
    assert grade(typed, answer, alternatives, known_terms=known_terms).verdict is verdict


@pytest.mark.parametrize(
    ("verdict", "accepted"), [(CORRECT, True), (TYPO, True), (WRONG, False)], ids=str
)
def test_accepted_covers_correct_and_typo(verdict, accepted):
    assert Grade(verdict, "", "", (), ()).accepted is accepted


def test_wrong_shows_the_differing_characters():
    result = grade("权重衰退", "权重衰减")
    assert result.typed_segments == (Segment("权重衰", False), Segment("退", True))
    assert result.expected_segments == (Segment("权重衰", False), Segment("减", True))


def test_typo_shows_the_slip():
    result = grade("Transformr", "Transformer")
    assert result.expected_segments == (
        Segment("Transform", False),
        Segment("e", True),
        Segment("r", False),
    )
    assert result.typed_segments == (Segment("Transformr", False),)


def test_diff_ignores_case_width_and_spaces():
    result = grade("ＶＩＴ ｌａｒｇｅ", "ViT-Large")
    assert result.verdict is TYPO
    differing = [segment.text for segment in result.expected_segments if segment.differs]
    assert differing == ["-"]


def test_correct_answer_marks_nothing():
    result = grade("權重衰減", "权重衰减")
    assert not any(segment.differs for segment in result.typed_segments)
    assert not any(segment.differs for segment in result.expected_segments)


def test_typed_is_kept_as_typed_but_stripped():
    assert grade("  ＡｄａｍＷ。 ", "AdamW").typed == "ＡｄａｍＷ。"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("`yield`", "yield"), ("$O(n^2)$", "O(n^2)"), (" AdamW ", "AdamW")],
    ids=["code", "formula", "plain"],
)
def test_expected_is_in_display_form(answer, expected):
    assert grade("something else", answer).expected == expected


def test_expected_is_the_closest_accepted_spelling():
    assert grade("Adam-V", "AdamW", ["Adam-W"]).expected == "Adam-W"
    assert grade("Adam-W", "AdamW", ["Adam-W"]).expected == "Adam-W"


def test_expected_is_the_answer_when_nothing_was_typed():
    result = grade("", "AdamW", ["Adam-W"])
    assert result.expected == "AdamW"
    assert result.typed_segments == ()
    assert result.expected_segments == (Segment("AdamW", True),)


def test_ten_thousand_characters_stay_fast():
    answer = "权重衰减" * 2500
    started = time.perf_counter()
    right = grade("權重衰減" * 2500, answer)
    wrong = grade("x" * 10_000, "Transformer", ["y" * 10_000], known_terms=["z" * 10_000])
    slip = grade("a" * 9_999 + "b", "a" * 10_000)
    assert time.perf_counter() - started < 1
    assert right.verdict is CORRECT
    assert wrong.verdict is WRONG
    assert slip.verdict is TYPO
    assert wrong.typed_segments == (Segment("x" * 10_000, True),)


@pytest.mark.parametrize(
    ("text", "code", "normalised"),
    [
        ("  ＡｄａｍＷ。", False, "adamw"),
        ("權重 衰減", False, "权重衰减"),
        ("O(n²)", False, "o(n²)"),
        ("`Yield`", True, "Yield"),
        ("f ( a,  b )", True, "f(a,b)"),
        ("...", True, "..."),
    ],
    ids=[
        "width-case-punctuation",
        "traditional-spaces",
        "keeps-superscript",
        "code-case",
        "code-spacing",
        "only-punctuation-kept",
    ],
)
def test_normalise(text, code, normalised):
    assert normalise(text, code=code) == normalised


def test_normalise_formula_turns_superscripts_into_tex():
    assert normalise("$O(n²)$", formula=True) == "O(n^2)"
    assert normalise("x¹⁰", formula=True) == "x^{10}"


# --- properties -----------------------------------------------------------------------------

HAN_WORDS = st.sampled_from(["权重", "衰减", "注意力", "自", "模型", "梯度", "归一化", "卷积"])
LATIN_WORDS = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True)
PLAIN_ANSWERS = st.lists(st.one_of(HAN_WORDS, LATIN_WORDS), min_size=1, max_size=4).map(" ".join)
NUMBER_ANSWERS = st.from_regex(r"[1-9][0-9]{0,4}(\.[0-9]{1,3})?%?", fullmatch=True)
CODE_ANSWERS = st.from_regex(r"[a-z_][a-z0-9_]{0,6}(\([a-z, ]{0,6}\))?", fullmatch=True).map(
    lambda code: f"`{code}`"
)
FORMULA_ANSWERS = st.from_regex(r"[A-Za-z]\([a-z]\^[0-9]\)", fullmatch=True).map(
    lambda formula: f"${formula}$"
)


def full_width(text: str) -> str:
    return "".join(
        chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else "\u3000" if char == " " else char
        for char in text
    )


@st.composite
def respelled(draw, text: str, *, change_case: bool, any_spaces: bool) -> str:
    """`text` as a learner might type it: other case, full-width, spaces added or lost."""
    characters = []
    for original in text:
        char = original
        if change_case and draw(st.booleans()):
            char = char.swapcase()
        if draw(st.booleans()):
            char = full_width(char)
        if original == " " and any_spaces and draw(st.booleans()):
            char = ""
        characters.append(char)
        # In code a space may only come next to punctuation: `f( x )`, never `yi eld`.
        next_to_punctuation = not (original.isalnum() or original == "_")
        if (any_spaces or next_to_punctuation) and draw(st.integers(0, 4)) == 0:
            characters.append(" ")
    return "".join(characters)


@st.composite
def answers_and_alternatives(draw, answers):
    return draw(answers), draw(st.lists(answers, max_size=3))


@given(st.data(), answers_and_alternatives(st.one_of(PLAIN_ANSWERS, NUMBER_ANSWERS)))
def test_plain_answers_survive_case_width_and_spaces(data, spellings):
    answer, alternatives = spellings
    for accepted in (answer, *alternatives):
        typed = data.draw(respelled(accepted, change_case=True, any_spaces=True))
        assume(typed.strip())
        assert grade(typed, answer, alternatives).verdict is CORRECT


@given(st.data(), answers_and_alternatives(CODE_ANSWERS))
def test_code_answers_survive_width_and_spaces_by_punctuation(data, spellings):
    answer, alternatives = spellings
    for accepted in (answer, *alternatives):
        typed = data.draw(respelled(accepted, change_case=False, any_spaces=False))
        assert grade(typed, answer, alternatives).verdict is CORRECT


@given(st.data(), answers_and_alternatives(FORMULA_ANSWERS))
def test_formulas_survive_width_and_spaces(data, spellings):
    answer, alternatives = spellings
    for accepted in (answer, *alternatives):
        typed = data.draw(respelled(accepted, change_case=False, any_spaces=True))
        assert grade(typed, answer, alternatives).verdict is CORRECT


@given(st.text(), st.text(), st.lists(st.text(), max_size=3), st.lists(st.text(), max_size=3))
def test_grading_never_raises(typed, answer, alternatives, known_terms):
    result = grade(typed, answer, alternatives, known_terms=known_terms)
    assert "".join(segment.text for segment in result.typed_segments) == result.typed


@given(st.text())
def test_normalise_is_idempotent(text):
    # Known terms may be stored already normalised and are normalised again when compared.
    once = normalise(text)
    assert normalise(once) == once


@pytest.mark.parametrize("typed", ["16x16", "16X16", "16*16", "１６ｘ１６", "16 × 16"])
def test_times_between_digits_may_be_typed_as_x_or_star(typed):
    assert grade(typed, "16×16").verdict is Verdict.CORRECT


def test_x_between_letters_stays_a_letter():
    assert grade("axb", "a×b").verdict is Verdict.WRONG
