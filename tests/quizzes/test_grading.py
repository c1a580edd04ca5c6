"""Fill-in grading: what is accepted, what is a typo, what is wrong, and what the page shows."""

import statistics
import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quizzes.grading import Blank, Grade, Segment, Verdict, grade, normalise

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


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
@given(st.data(), answers_and_alternatives(st.one_of(PLAIN_ANSWERS, NUMBER_ANSWERS)))
def test_plain_answers_survive_case_width_and_spaces(data, spellings):
    answer, alternatives = spellings
    for accepted in (answer, *alternatives):
        typed = data.draw(respelled(accepted, change_case=True, any_spaces=True))
        assume(typed.strip())
        assert grade(typed, answer, alternatives).verdict is CORRECT


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
@given(st.data(), answers_and_alternatives(CODE_ANSWERS))
def test_code_answers_survive_width_and_spaces_by_punctuation(data, spellings):
    answer, alternatives = spellings
    for accepted in (answer, *alternatives):
        typed = data.draw(respelled(accepted, change_case=False, any_spaces=False))
        assert grade(typed, answer, alternatives).verdict is CORRECT


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
@given(st.data(), answers_and_alternatives(FORMULA_ANSWERS))
def test_formulas_survive_width_and_spaces(data, spellings):
    answer, alternatives = spellings
    for accepted in (answer, *alternatives):
        typed = data.draw(respelled(accepted, change_case=False, any_spaces=True))
        assert grade(typed, answer, alternatives).verdict is CORRECT


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
@given(st.text(), st.text(), st.lists(st.text(), max_size=3), st.lists(st.text(), max_size=3))
def test_grading_never_raises(typed, answer, alternatives, known_terms):
    result = grade(typed, answer, alternatives, known_terms=known_terms)
    assert "".join(segment.text for segment in result.typed_segments) == result.typed


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
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


# --- what a fair teacher also accepts, and what stays wrong ---------------------------------

YEAR = Blank("Transformer 在", "年提出。")
LAYERS = Blank("ViT-Base 有", "层编码器。")
FLOOR = Blank("电梯停在第", "层。")
HEADS = Blank("BERT-Base 有", "个注意力头。")
EXACT = Blank(exact=True)

# (typed, answer, alternatives, blank, accepted)
FORMS = [
    # the counter or unit the sentence writes after (or before) the blank
    pytest.param("2017年", "2017", (), YEAR, True, id="year-with-counter"),
    pytest.param("2017 年", "2017", (), YEAR, True, id="year-counter-after-space"),
    pytest.param("2018年", "2017", (), YEAR, False, id="other-year-with-counter"),
    pytest.param("2017年", "2017", (), Blank(), False, id="counter-not-in-the-sentence"),
    pytest.param("12层", "12", (), LAYERS, True, id="layers-counter"),
    pytest.param("第12层", "12", (), FLOOR, True, id="counter-before-and-after"),
    pytest.param("12个", "12", (), LAYERS, False, id="another-counter"),
    pytest.param("12", "12个", (), Blank(), True, id="counter-of-the-answer-left-out"),
    pytest.param("12个", "12个", (), Blank(), True, id="counter-of-the-answer"),
    pytest.param("12层", "12个", (), Blank(), False, id="counter-of-the-answer-changed"),
    pytest.param("3个", "3", (), HEADS, True, id="heads-counter"),
    pytest.param("3个注意力头", "3", (), HEADS, True, id="counter-and-noun"),
    # Chinese numerals
    pytest.param("三", "3", (), Blank(), True, id="chinese-three"),
    pytest.param("十二", "12", (), Blank(), True, id="chinese-twelve"),
    pytest.param("二〇一七", "2017", (), Blank(), True, id="chinese-year-digits"),
    pytest.param("二零一七年", "2017", (), YEAR, True, id="chinese-year-with-counter"),
    pytest.param("两个", "2", (), HEADS, True, id="liang-with-counter"),
    pytest.param("十三", "12", (), Blank(), False, id="chinese-other-number"),
    pytest.param("二〇一八", "2017", (), Blank(), False, id="chinese-other-year"),
    pytest.param("一千", "1000", (), Blank(), True, id="chinese-thousand"),
    pytest.param("1750亿", "175B", (), Blank(), True, id="yi-scale"),
    pytest.param("3", "三", (), Blank(), True, id="digits-for-a-chinese-numeral-answer"),
    # percent, decimal and fraction forms of one value
    pytest.param("0.15", "15%", (), Blank(), True, id="decimal-for-percent"),
    pytest.param("15%", "0.15", (), Blank(), True, id="percent-for-decimal"),
    pytest.param("百分之十五", "15%", (), Blank(), True, id="chinese-percent"),
    pytest.param("15％", "0.15", (), Blank(), True, id="full-width-percent"),
    pytest.param("3/4", "0.75", (), Blank(), True, id="fraction-for-decimal"),
    pytest.param("75%", "3/4", (), Blank(), True, id="percent-for-fraction"),
    pytest.param("三分之一", "1/3", (), Blank(), True, id="chinese-fraction"),
    pytest.param("1.5%", "15%", (), Blank(), False, id="percent-off-by-ten"),
    pytest.param("0.015", "15%", (), Blank(), False, id="decimal-off-by-ten"),
    pytest.param("15", "15%", (), Blank(), False, id="percent-sign-left-out"),
    pytest.param("4/3", "0.75", (), Blank(), False, id="fraction-upside-down"),
    pytest.param("1/0", "0", (), Blank(), False, id="fraction-by-zero"),
    pytest.param("3", "3x", (), Blank(), False, id="unit-x-left-out"),
    # the form is the point
    pytest.param("0.15", "15%", (), EXACT, False, id="exact-percent"),
    pytest.param("15%", "15%", (), EXACT, True, id="exact-same-form"),
    pytest.param("0.001", "1e-3", (), EXACT, False, id="exact-scientific"),
    pytest.param("三", "3", (), EXACT, False, id="exact-no-chinese-numeral"),
    pytest.param("r**2", "$r^2$", (), EXACT, False, id="exact-formula"),
    # formulas compared by value
    pytest.param("2/(fan_out+fan_in)", "2/(fan_in+fan_out)", (), Blank(), True, id="sum-reordered"),
    pytest.param("2/(fan_in*fan_out)", "2/(fan_in+fan_out)", (), Blank(), False, id="product-for-sum"),
    pytest.param("FN+TP+FP", "TP+FP+FN", (), Blank(), True, id="terms-reordered"),
    pytest.param("fn+tp+fp", "TP+FP+FN", (), Blank(), True, id="bare-expression-case-free"),
    pytest.param("TP+FP", "TP+FP+FN", (), Blank(), False, id="term-missing"),
    pytest.param("s(i-1)-2p+k", "(i-1)*s-2*p+k", (), Blank(), True, id="implicit-products"),
    pytest.param("(i-1)*s-2*p+k", "s(i-1)-2p+k", (), Blank(), True, id="explicit-products"),
    pytest.param("(i-1)*s+2*p+k", "(i-1)*s-2*p+k", (), Blank(), False, id="sign-flipped"),
    pytest.param("r**2", "$r^2$", (), Blank(), True, id="double-star-power"),
    pytest.param("r*r", "$r^2$", (), Blank(), True, id="power-as-product"),
    pytest.param("R^2", "$r^2$", (), Blank(), False, id="formula-case-matters"),
    pytest.param("sqrt(d_k)", "$\\sqrt{d_k}$", (), Blank(), True, id="tex-root"),
    pytest.param("√d_k", "$\\sqrt{d_k}$", (), Blank(), True, id="root-sign"),
    pytest.param("d_k^0.5", "$\\sqrt{d_k}$", (), Blank(), True, id="root-as-power"),
    pytest.param("sqrt(d_v)", "$\\sqrt{d_k}$", (), Blank(), False, id="other-root"),
    pytest.param("a·b", "$a \\times b$", (), Blank(), True, id="dot-and-times"),
    pytest.param("a×b", "$ab$", (), Blank(), False, id="ab-is-one-symbol"),
    pytest.param("K^T Q", "$Q K^T$", (), Blank(), False, id="matrices-do-not-commute"),
    pytest.param("Q·K^T", "$Q K^T$", (), Blank(), True, id="matrix-product-spelled-out"),
    pytest.param("W x + b", "$b + W x$", (), Blank(), True, id="matrix-terms-reordered"),
    pytest.param("O(n^2", "$O(n^2)$", (), Blank(), False, id="unbalanced-formula"),
    pytest.param("O(n**2)", "$O(n^2)$", (), Blank(), True, id="big-o-power"),
    pytest.param("α+β", "$\\alpha + \\beta$", (), Blank(), True, id="greek-letters"),
    # code: a function's name with its call parentheses, nothing looser
    pytest.param("np.bincount()", "`np.bincount`", (), Blank(), True, id="call-parentheses"),
    pytest.param("np.bincount", "`np.bincount()`", (), Blank(), True, id="call-parentheses-left-out"),
    pytest.param("np.bincount(x)", "`np.bincount`", (), Blank(), False, id="call-with-argument"),
    pytest.param("np.Bincount()", "`np.bincount`", (), Blank(), False, id="call-keeps-case"),
    pytest.param("None()", "`None`", (), Blank(), False, id="keyword-is-no-function"),
    pytest.param("none", "`None`", (), Blank(), False, id="code-none-case"),
    pytest.param("yield；", "`yield`", (), Blank(), True, id="code-chinese-semicolon"),
    pytest.param("return;", "`return;`", (), Blank(), True, id="code-ascii-semicolon-kept"),
    pytest.param("return；", "`return;`", (), Blank(), True, id="code-full-width-semicolon-is-its-twin"),
    # punctuation and brackets around the whole answer
    pytest.param("引用计数；", "引用计数", (), Blank(), True, id="trailing-semicolon"),
    pytest.param("引用计数，", "引用计数", (), Blank(), True, id="trailing-comma"),
    pytest.param("引用计数：", "引用计数", (), Blank(), True, id="trailing-colon"),
    pytest.param("引用计数、", "引用计数", (), Blank(), True, id="trailing-enumeration-comma"),
    pytest.param("（引用计数）", "引用计数", (), Blank(), True, id="full-width-parentheses"),
    pytest.param("【引用计数】", "引用计数", (), Blank(), True, id="lenticular-brackets"),
    pytest.param("《引用计数》", "引用计数", (), Blank(), True, id="title-marks"),
    pytest.param("(ReLU)", "ReLU", (), Blank(), True, id="ascii-parentheses"),
    pytest.param("(a)(b)", "a)(b", (), Blank(), False, id="two-groups-are-not-one-wrapping"),
    pytest.param("引用，计数", "引用计数", (), Blank(), False, id="punctuation-inside-stays"),
    # Taiwan and Hong Kong vocabulary
    pytest.param("匈牙利演算法", "匈牙利算法", (), Blank(), True, id="taiwan-algorithm"),
    pytest.param("資料集", "数据集", (), Blank(), True, id="taiwan-dataset"),
    pytest.param("記憶體", "内存", (), Blank(), True, id="taiwan-memory"),
    pytest.param("物件導向", "面向对象", (), Blank(), True, id="taiwan-object-oriented"),
    pytest.param("資料集", "测试集", (), Blank(), False, id="taiwan-other-word"),
    # never looser where it matters
    pytest.param("L1", "L2", (), Blank(), False, id="l1-is-not-l2"),
    pytest.param("ReLU", "GELU", (), Blank(), False, id="relu-is-not-gelu"),
    pytest.param("2018", "2017", (), YEAR, False, id="2018-is-not-2017"),
    pytest.param("梯度爆炸", "梯度消失", (), Blank(), False, id="explosion-is-not-vanishing"),
    pytest.param("梯度消失；", "梯度消失", (), Blank(), True, id="vanishing-with-semicolon"),
]


@pytest.mark.parametrize(("typed", "answer", "alternatives", "blank", "accepted"), FORMS)
def test_fair_forms(typed, answer, alternatives, blank, accepted):
    assert grade(typed, answer, alternatives, blank=blank).accepted is accepted


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [("交并比", True), ("交並比", True), ("Intersection over Union", True), ("交集", False), ("Dice", False)],
)
def test_aliases_are_accepted_like_alternatives(typed, accepted):
    result = grade(typed, "IoU", aliases=["交并比", "Intersection over Union"])
    assert result.accepted is accepted


def test_an_alias_is_shown_as_what_was_meant():
    assert grade("self attention", "自注意力", aliases=["self-attention"]).expected == "self-attention"


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
@given(
    st.data(),
    st.lists(st.one_of(PLAIN_ANSWERS, NUMBER_ANSWERS, CODE_ANSWERS, FORMULA_ANSWERS), min_size=1, max_size=4),
)
def test_every_alternative_and_alias_grades_correct(data, spellings):
    answer, *others = spellings
    split = data.draw(st.integers(0, len(others)))
    alternatives, aliases = others[:split], others[split:]
    for spelling in spellings:
        result = grade(spelling.strip("`$"), answer, alternatives, aliases=aliases)
        assert result.verdict is CORRECT


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
@given(
    st.integers(-10**6, 10**6),
    st.integers(-10**6, 10**6),
    st.sampled_from(["", "%", "年", "个", "层"]),
    st.sampled_from([Blank(), YEAR, LAYERS, HEADS]),
)
def test_a_different_number_never_grades_correct(answer, typed, unit, blank):
    assume(answer != typed)
    for spelled in (str(typed), f"{typed}{unit}", f"{typed:,}"):
        assert grade(spelled, str(answer), blank=blank).verdict is WRONG
        assert grade(spelled, f"{answer}{unit}", blank=blank).verdict is WRONG


@settings(deadline=None)  # timing is tested on its own; a shared machine stalls
@given(st.integers(0, 99), st.integers(1, 99))
def test_a_different_fraction_or_percent_never_grades_correct(numerator, denominator):
    from fractions import Fraction

    value = Fraction(numerator, denominator)
    assume(value != Fraction(15, 100))
    assert grade(f"{numerator}/{denominator}", "15%").verdict is WRONG
    assert grade(f"{numerator}%", "0.15").accepted is (numerator == 15)


def _median_seconds(run, repeats: int) -> float:
    timings = []
    for index in range(repeats):
        started = time.perf_counter()
        run(index)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


ORDINARY = [
    ("權重衰減{}", "权重衰减"),
    ("adamw{}", "AdamW"),
    ("{}年", "2017"),
    ("0.{}", "15%"),
    ("np.bincount{}()", "`np.bincount`"),
    ("梯度爆炸{}", "梯度消失"),
    ("Transfromer{}", "Transformer"),
]


@pytest.mark.parametrize(("typed", "answer"), ORDINARY, ids=[answer for _, answer in ORDINARY])
def test_ordinary_grading_stays_under_a_millisecond(typed, answer):
    # A new typed text each time: nothing is served from the grader's caches.
    grade(typed.format(0), answer, blank=YEAR)
    seconds = _median_seconds(lambda index: grade(typed.format(index + 1), answer, blank=YEAR), 101)
    assert seconds < 0.001, f"{seconds * 1000:.3f} ms"


FORMULAS = [
    ("2/(fan_out+fan_in+{})", "2/(fan_in+fan_out)"),
    ("s(i-{})-2p+k", "(i-1)*s-2*p+k"),
    ("1/(1+exp(-x*{}))", "$\\frac{1}{1+e^{-x}}$"),
    ("K^T Q+{}", "$Q K^T$"),
    ("sqrt(d_k)*{}", "$\\sqrt{d_k}$"),
    ("(a+b)^{}", "$a^2+2ab+b^2$"),
    ("9^9^9^{}", "$x$"),
    ("(" * 40 + "x{}" + ")" * 40, "$x$"),
    ("x" * 200 + "{}", "$x$"),
]


@pytest.mark.parametrize(("typed", "answer"), FORMULAS, ids=[typed[:20] for typed, _ in FORMULAS])
def test_any_formula_grades_under_fifty_milliseconds(typed, answer):
    grade("x+1", "$1+x$")  # the first formula a worker reads warms SymPy up once
    seconds = _median_seconds(lambda index: grade(typed.format(index + 2), answer), 5)
    assert seconds < 0.05, f"{seconds * 1000:.1f} ms"


@pytest.mark.parametrize(("text", "expected"), [('\x80"\x00', "\x80"), ("資料\x00集", "数据集")])
def test_a_nul_is_dropped_before_anything_else_is_compared(text, expected):
    assert normalise(text) == expected
    assert normalise(normalise(text)) == normalise(text)
