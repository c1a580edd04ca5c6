"""Wrong options for multiple-choice questions: preference order, hard rules, nearby numbers."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.distractors import choose_wrong_options, ranked_wrong_options
from quizzes.grading import Verdict, grade, normalise


def choose(
    answer, alternatives=(), editor=(), *, article=(), topic=(), library=(), seed=1, count=3
):
    return choose_wrong_options(
        answer,
        alternatives,
        editor,
        same_article=article,
        same_topic=topic,
        library=library,
        seed=seed,
        count=count,
    )


OPTIMISERS = ["RMSProp", "Adagrad", "Momentum", "Nesterov", "Adadelta", "LAMB-opt"]


# --- editor options ---------------------------------------------------------------------------


def test_editor_options_come_first_in_their_order():
    options = choose("AdamW", ["Adam-W"], ["SGD", "Adam"], article=OPTIMISERS)
    assert options[:2] == ("SGD", "Adam")
    assert options[2] in OPTIMISERS


def test_editor_options_stop_at_count():
    assert choose("AdamW", (), ["SGD", "Adam", "Lion", "RMSProp"]) == ("SGD", "Adam", "Lion")


def test_editor_option_may_be_a_substring_or_of_another_length():
    # DESIGN's own example: {{AdamW|Adam-W ~Adam ~SGD}}.
    assert choose("AdamW", ["Adam-W"], ["Adam", "SGD", "Stochastic gradient descent"]) == (
        "Adam",
        "SGD",
        "Stochastic gradient descent",
    )


@pytest.mark.parametrize(
    "accepted_option",
    ["adamw", "ＡｄａｍＷ", "Adam W", "Adam-W", "Adamw."],
    ids=["case", "full-width", "space", "alternative", "trailing-punctuation"],
)
def test_editor_option_that_grades_as_correct_is_dropped(accepted_option):
    options = choose("AdamW", ["Adam-W"], [accepted_option, "SGD", "Lion"], article=["RMSProp"])
    assert options == ("SGD", "Lion", "RMSProp")


def test_editor_option_repeated_is_kept_once():
    options = choose("AdamW", (), ["SGD", "sgd", "Lion"], article=["RMSProp"])
    assert options == ("SGD", "Lion", "RMSProp")


def test_editor_traditional_spelling_of_the_answer_is_dropped():
    options = choose("权重衰减", (), ["權重衰減", "学习率", "动量", "梯度裁剪"])
    assert options == ("学习率", "动量", "梯度裁剪")


# --- tiers ------------------------------------------------------------------------------------


def test_same_article_before_topic_before_library():
    options = choose("AdamW", article=["RMSProp"], topic=["Adagrad"], library=OPTIMISERS[2:])
    assert options[:2] == ("RMSProp", "Adagrad")
    assert options[2] in OPTIMISERS[2:]


def test_editor_options_then_article_fill_the_rest():
    options = choose("AdamW", (), ["SGD"], article=["RMSProp", "Adagrad"], library=["Momentum"])
    assert options[0] == "SGD"
    assert set(options[1:]) == {"RMSProp", "Adagrad"}


def test_choice_within_a_tier_depends_on_the_seed_only():
    first = choose("AdamW", library=OPTIMISERS, seed=7)
    assert choose("AdamW", library=OPTIMISERS, seed=7) == first
    assert len({choose("AdamW", library=OPTIMISERS, seed=seed) for seed in range(20)}) > 1


def test_count_can_be_other_than_three():
    assert len(choose("AdamW", library=OPTIMISERS, count=5)) == 5


def test_none_when_not_enough_good_options():
    assert choose("AdamW", (), ["SGD"], article=["RMSProp", "AdamW", "adamw"]) is None


def test_none_when_nothing_at_all():
    assert choose("注意力") is None


def test_ranked_wrong_options_lists_every_good_option_once():
    ranked = list(
        ranked_wrong_options(
            "AdamW", ["Adam-W"], ["SGD"], same_article=OPTIMISERS, same_topic=["Adam W"], library=[], seed=0
        )
    )
    assert len(ranked) == len(set(ranked)) == 1 + len(OPTIMISERS)


# --- hard rules for automatic options ---------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "bad_option"),
    [
        ("AdamW", "Adam"),  # substring
        ("注意力", "注意力机制"),  # superstring
        ("注意力", "自注意力"),
        ("Transformer", "transformers"),  # superstring, whatever the case
        ("AdamW", "Adam-W"),  # one slip away: grades as a typo
        ("Transformer", "Transfromer"),
        ("权重衰减", "權重衰減"),  # grades as correct
        ("AdamW", "ＡＤＡＭＷ"),
        ("0.5", "0.50"),
        ("1000", "1,000"),
        ("Transformer", "SGD"),  # too short next to it
        ("GELU", "Stochastic Gradient Descent"),  # too long
        ("权重衰减", "AdamW"),  # another kind
        ("权重衰减", "自注意力 self-attention"),
        ("AdamW", "2020"),
        ("`yield`", "return"),  # code answers take only code
        ("yield", "`return`"),
        ("$O(n^2)$", "Adam"),  # formulas take only formulas
        ("2020", "0.5"),  # a year takes years
        ("50%", "40"),  # a percentage takes percentages
        ("0.5", "12"),  # a decimal takes decimals
    ],
    ids=lambda value: value,
)
def test_automatic_option_refused(answer, bad_option):
    good = {
        "AdamW": ["RMSProp", "Adagrad", "Momentum"],
        "注意力": ["卷积", "池化层", "归一化"],
        "Transformer": ["Tokenizer", "Embedding", "Attention"],
        "权重衰减": ["学习率", "批归一化", "梯度裁剪"],
        "0.5": ["0.1", "0.9", "0.2"],
        "1000": ["512", "128", "300"],
        "GELU": ["ReLU", "SiLU", "Tanh"],
        "`yield`": ["`return`", "`await`", "`async`"],
        "yield": ["raise", "break", "pass"],
        "$O(n^2)$": ["$O(n)$", "$O(1)$", "$O(\\log n)$"],
        "2020": ["2017", "2018", "2019"],
        "50%": ["40%", "60%", "30%"],
    }[answer]
    options = choose(answer, article=[bad_option, *good])
    assert bad_option not in options
    assert options is not None


def test_pool_duplicates_and_the_answer_itself_are_skipped():
    options = choose(
        "AdamW", article=["AdamW", "RMSProp", "rmsprop", "ＲＭＳＰｒｏｐ", "Adagrad", "Momentum"]
    )
    assert sorted(normalise(option) for option in options) == ["adagrad", "momentum", "rmsprop"]


def test_option_equal_to_an_alternative_is_skipped():
    assert "ViT" not in choose("Vision Transformer", ["ViT"], ["ViT", "CNN", "RNN", "MLP"])


def test_code_answers_take_code_options():
    options = choose("`yield`", library=["return", "`return`", "`await`", "`async`", "Adam"])
    assert sorted(options) == ["`async`", "`await`", "`return`"]


def test_code_options_differing_only_in_case_are_refused():
    assert "`Yield`" not in choose("`yield`", article=["`Yield`", "`return`", "`await`", "`pass`"])


def test_formulas_take_formulas():
    options = choose("$O(n^2)$", library=["$O(n)$", "$O(1)$", "$O(n^3)$", "Adam", "2020"])
    assert sorted(options) == ["$O(1)$", "$O(n)$", "$O(n^3)$"]


def test_unmarked_formula_is_a_formula_and_a_duplicate_of_the_marked_one():
    options = choose("$O(n^2)$", library=["$O(n)$", "O(n)", "$O(1)$", "$O(n^3)$"], count=4)
    assert options is None


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "allowed"),
    [
        ("2020", {"2015", "2016", "2017", "2018", "2019", "2021", "2022", "2023", "2024", "2025"}),
        ("0.5", {"0.4", "0.6", "0.25", "0.75"}),
        ("3", {"1", "2", "4", "5"}),
        ("50%", {"40%", "45%", "55%", "60%"}),
        ("100%", {"85%", "90%", "95%"}),
        ("512", {"128", "256", "1024", "2048"}),
        ("1,000", {"2,000", "200", "500"}),
        ("0.001", {"0.0002", "0.0005", "0.002", "0.005"}),
        ("1e-3", {"1e-5", "1e-4", "1e-2", "1e-1", "2e-3"}),
        ("4x", {"1x", "2x", "8x", "16x"}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_nearby_numbers_look_like_the_answer(answer, allowed):
    for seed in range(10):
        options = choose(answer, seed=seed)
        assert options is not None
        assert set(options) <= allowed


def test_nearby_years_do_not_pass_this_year():
    this_year = date.today().year
    for seed in range(10):
        assert all(int(option) <= this_year for option in choose(str(this_year - 1), seed=seed))


def test_nearby_years_never_include_the_year():
    assert "2020" not in choose("2020", count=10)


def test_same_shape_numbers_before_article_before_topic_numbers():
    options = choose("2010", article=["1998"], topic=["1990", "1991", "1992"], count=12)
    assert set(options[:10]) == {str(year) for year in range(2005, 2016)} - {"2010"}
    assert options[10] == "1998"
    assert options[11] in {"1990", "1991", "1992"}


def test_power_of_two_is_no_year():
    assert choose("2020", article=["2048", "2019"], count=1) == ("2019",)


def test_numbers_equal_in_value_count_once():
    options = ranked_wrong_options(
        "0.5", (), (), same_article=["0.1", "0.10", ".1", "0.9", "0.2"], seed=1
    )
    values = [float(option) for option in options]
    assert len(values) == len(set(values))
    assert 0.5 not in values


# --- properties -------------------------------------------------------------------------------

TERMS = st.one_of(
    st.sampled_from(
        [
            "AdamW",
            "Adam",
            "Adam-W",
            "adamw",
            "权重衰减",
            "權重衰減",
            "权重衰退",
            "L1",
            "L2",
            "0.5",
            "0.50",
            "0.05",
            "2020",
            "2021",
            "`yield`",
            "`Yield`",
            "yield",
            "$O(n^2)$",
            "O(n²)",
            "Transformer",
            "Transfromer",
            "50%",
            "注意力",
        ]
    ),
    st.text(alphabet="abcAB权重注 -.0123%`$", min_size=1, max_size=8),
    st.text(max_size=6),
)
POOLS = st.lists(TERMS, max_size=8)


@given(TERMS, st.lists(TERMS, max_size=2), POOLS, POOLS, POOLS, POOLS, st.integers())
def test_options_are_never_accepted_and_never_repeat(
    answer, alternatives, editor, article, topic, library, seed
):
    options = choose(
        answer, alternatives, editor, article=article, topic=topic, library=library, seed=seed
    )
    if options is None:
        return
    assert len(options) == 3
    for option in options:
        assert not grade(option, answer, alternatives, known_terms=editor).accepted
        others = [other for other in options if other is not option]
        assert not any(grade(option, other).verdict is Verdict.CORRECT for other in others)


@pytest.mark.parametrize("answer", ["ε", "η", "Σ", "$λ$"])
def test_a_greek_letter_takes_other_greek_letters(answer):
    options = choose(answer, library=["5×5", "3×3", "3/4", "GELU"])
    assert options is not None and len(set(options)) == 3
    letter = answer.strip("$")
    for option in options:
        assert option.strip("$") != letter and len(option.strip("$")) == 1
        assert option.strip("$").isupper() == letter.isupper()
        assert option.startswith("$") == answer.startswith("$")
