"""Wrong options from the term bank, learners' mistakes and same-shape numbers: pure functions."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.distractors import Source, choose_options, choose_wrong_options, ranked_wrong_options
from quizzes.grading import grade
from quizzes.kinds import parse_number
from quizzes.mistakes import frequent_mistakes
from quizzes.number_shapes import same_shape_fractions, same_shape_values
from terms.bank import BankTerm, TermBank

BANK = TermBank(
    (
        BankTerm("SGD", "优化器", ("随机梯度下降",), 1),
        BankTerm("Momentum", "优化器", ("动量法",), 2),
        BankTerm("RMSProp", "优化器", (), 3),
        BankTerm("Adam", "优化器", (), 4),
        BankTerm("AdamW", "优化器", ("Adam-W",), 5),
        BankTerm("Lion", "优化器", (), 6),
        BankTerm("Geoffrey Hinton", "人物", ("Hinton", "辛顿"), 1),
        BankTerm("Yann LeCun", "人物", ("LeCun", "杨立昆"), 2),
        BankTerm("Ian Goodfellow", "人物", ("Goodfellow",), 3),
        BankTerm("何恺明", "人物", ("Kaiming He", "He Kaiming", "何凯明", "Kaiming"), 4),
        BankTerm("李飞飞", "人物", ("Fei-Fei Li",), 5),
        BankTerm("周志华", "人物", ("Zhi-Hua Zhou",), 6),
        BankTerm("陈天奇", "人物", ("Tianqi Chen",), 7),
        BankTerm("IoU", "IoU 系列", ("交并比", "Intersection over Union"), 1),
        BankTerm("GIoU", "IoU 系列", ("广义交并比",), 2),
        BankTerm("DIoU", "IoU 系列", (), 3),
        BankTerm("CIoU", "IoU 系列", (), 4),
        BankTerm("yield", "Python 关键字", (), 1),
        BankTerm("return", "Python 关键字", (), 2),
        BankTerm("await", "Python 关键字", (), 3),
        BankTerm("lambda", "Python 关键字", (), 4),
        BankTerm("Dice Loss", "损失函数", ("Dice 损失",), 1),
        BankTerm("Focal Loss", "损失函数", ("焦点损失",), 2),
        BankTerm("Hinge Loss", "损失函数", ("合页损失",), 3),
        BankTerm("Triplet Loss", "损失函数", ("三元组损失",), 4),
        BankTerm("LayerNorm", "归一化", ("层归一化",), 1),
        BankTerm("GELU", "激活函数", (), 1),
        BankTerm("梯度消失", "训练问题", (), 1),
        BankTerm("单阶段", "检测范式", (), 1),
        BankTerm("BatchNorm", "", ("BN",), 0),  # no category yet: no siblings
    )
)


def options(answer, alternatives=(), editor=(), **sources):
    sources.setdefault("seed", 7)
    return choose_wrong_options(
        answer,
        alternatives,
        editor,
        same_article=sources.pop("same_article", ()),
        same_topic=sources.pop("same_topic", ()),
        library=sources.pop("library", ()),
        bank=sources.pop("bank", BANK),
        **sources,
    )


# --- term bank siblings -----------------------------------------------------------------------


def test_chinese_person_takes_chinese_named_people():
    chosen = options("何恺明", same_article=["梯度消失", "二阶导数", "单阶段"])
    assert set(chosen) <= {"李飞飞", "周志华", "陈天奇", "辛顿", "杨立昆"}
    assert "梯度消失" not in chosen


def test_surname_takes_surnames_and_full_name_takes_full_names():
    assert set(options("Goodfellow")) <= {"Hinton", "LeCun", "Kaiming", "Fei-Fei Li"}
    assert all(" " in option or "-" in option for option in options("Ian Goodfellow"))


def test_code_answer_takes_sibling_keywords_in_backticks():
    chosen = options("`yield`", same_article=["`False`", "`fan_out`"])
    assert set(chosen) == {"`return`", "`await`", "`lambda`"}


def test_loss_takes_losses_not_other_answers_of_the_article():
    chosen = options("Dice Loss", same_article=["LayerNorm", "GELU"])
    assert set(chosen) == {"Focal Loss", "Hinge Loss", "Triplet Loss"}


def test_nearest_siblings_first_editor_named_ones_before_bank_neighbours():
    chosen = choose_options("AdamW", (), (), seed=3, bank=BANK)
    assert [option.text for option in chosen[:2]] in (["Adam", "Lion"], ["Lion", "Adam"])
    assert all(option.source is Source.BANK for option in chosen)
    # An editor's ~SGD marks SGD as near: it comes first, then the bank's neighbours.
    chosen = choose_options("Momentum", (), (), seed=3, bank=BANK)
    assert {chosen[0].text, chosen[1].text} == {"SGD", "RMSProp"}


def test_alias_of_the_answer_is_never_an_option():
    chosen = options("IoU", editor=["交并比", "Intersection over Union", "GIoU"])
    assert "交并比" not in chosen and "Intersection over Union" not in chosen
    assert chosen[0] == "GIoU"


def test_answer_written_as_an_alias_takes_siblings_in_its_script():
    assert list(ranked_wrong_options("交并比", (), (), seed=1, bank=BANK)) == ["广义交并比"]
    assert options("交并比") is None  # one Chinese sibling is not three: no filler


def test_uncategorised_term_gets_no_siblings_and_no_filler():
    assert options("BatchNorm") is None


def test_other_categories_are_kept_out_of_the_fallback_tiers():
    chosen = options("LayerNorm", same_article=["GELU", "梯度消失", "GroupNorm", "RMSNorm", "WeightNorm"])
    assert set(chosen) == {"GroupNorm", "RMSNorm", "WeightNorm"}


def test_options_the_stem_names_are_dropped():
    stem = "比 Adam 更省显存的优化器是＿＿，它和 SGD 一样只存动量。"
    chosen = options("Lion", stem=stem)
    assert "Adam" not in chosen and "SGD" not in chosen


def test_no_three_siblings_no_mcq():
    small = TermBank((BankTerm("A1", "c", (), 1), BankTerm("B1", "c", (), 2)))
    assert options("A1", bank=small) is None


# --- learners' mistakes -----------------------------------------------------------------------


def test_mistakes_come_after_siblings_and_before_article_answers():
    chosen = choose_options(
        "Lion",
        (),
        ["Adam"],
        seed=1,
        bank=TermBank((BankTerm("Lion", "优化器", (), 1), BankTerm("Adam", "优化器", (), 2))),
        mistakes=["Sophia", "Adafactor"],
        same_article=["Shampoo"],
    )
    assert [(option.text, option.source) for option in chosen] == [
        ("Adam", Source.EDITOR),
        ("Sophia", Source.MISTAKE),
        ("Adafactor", Source.MISTAKE),
    ]


def test_a_mistake_that_grades_as_correct_is_no_option():
    chosen = options("AdamW", mistakes=["adamw", "Adam W", "Adam-W"], bank=TermBank())
    assert chosen is None
    chosen = options("AdamW", mistakes=["Adam", "Adamw ", "SGD", "AdamV"], bank=TermBank())
    assert chosen == ("Adam", "SGD", "AdamV")


def test_frequent_mistakes_need_several_learners():
    rows = [
        (1, "Adam", 10),
        (1, "adam", 11),
        (1, "ADAM ", 12),
        (1, "SGD", 10),
        (1, "SGD", 10),  # one learner twice counts once
        (1, "SGD", 11),
        (2, "权重衰退", 10),
        (2, "權重衰退", 11),
        (2, "权重衰退", 12),
        (2, "", 13),
    ]
    assert frequent_mistakes(rows, min_learners=3) == {1: ["Adam"], 2: ["权重衰退"]}
    assert frequent_mistakes(rows, min_learners=2) == {1: ["Adam", "SGD"], 2: ["权重衰退"]}


def test_most_frequent_mistake_first():
    rows = [(1, "B", user) for user in range(5)] + [(1, "A", user) for user in range(3)]
    assert frequent_mistakes(rows, min_learners=3) == {1: ["B", "A"]}


# --- numbers of the same shape ------------------------------------------------------------------


def shapes(text, today=date(2026, 12, 1)):
    return same_shape_values(parse_number(text), today)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("768", {"512", "640", "896", "1024"}),
        ("512", {"256", "1024", "128", "2048"}),
        ("196", {"169", "225", "144", "256"}),
        ("700", {"600", "800", "500", "900"}),
        ("0.999", {"0.99", "0.9995", "0.995", "0.9999"}),
        ("0.9", {"0.95", "0.99", "0.995", "0.999"}),
        ("0.01", {"0.005", "0.02", "0.002", "0.05"}),
        ("56", {"48", "64", "40", "72"}),
        ("45", {"40", "50", "35", "55"}),
        ("3", {"2", "4", "1", "5"}),
        ("32000", {"16000", "64000", "30000", "34000"}),
        ("15%", {"10%", "20%", "5%", "25%"}),
    ],
)
def test_numbers_take_values_of_their_own_shape(answer, expected):
    assert set(shapes(answer)[:4]) == expected


def test_never_plus_minus_ten_neighbours_for_a_hidden_size():
    assert not {"748", "758", "778", "788"} & set(shapes("768"))


def test_years_stay_plausible():
    years = shapes("2025")
    assert "2027" not in years and "2024" in years and "2026" in years


def test_rates_stay_below_one():
    assert all(float(value) < 1 for value in shapes("0.3"))


def test_fractions_take_other_simple_fractions():
    assert same_shape_fractions("3/4")[:3] == ["4/5", "2/3", "5/8"]
    assert same_shape_fractions("3 / 0") == []
    assert same_shape_fractions("abc") == []


# --- property: nothing that grades as correct, nothing that is an alias ------------------------

SPELLINGS = [spelling for term in BANK.terms for spelling in term.spellings]


@settings(max_examples=150, deadline=None)
@given(
    answer=st.sampled_from(SPELLINGS),
    alternatives=st.lists(st.sampled_from(SPELLINGS), max_size=2),
    editor=st.lists(st.sampled_from(SPELLINGS + ["adamw", "ＩｏＵ", "Kaiming  He"]), max_size=4),
    same_article=st.lists(st.sampled_from(SPELLINGS), max_size=6),
    mistakes=st.lists(st.sampled_from(SPELLINGS + ["yeild", "Adamw"]), max_size=3),
    seed=st.integers(0, 1000),
)
def test_no_option_grades_as_correct_or_is_an_alias(
    answer, alternatives, editor, same_article, mistakes, seed
):
    chosen = choose_options(
        answer,
        alternatives,
        editor,
        same_article=same_article,
        mistakes=mistakes,
        seed=seed,
        bank=BANK,
    )
    if chosen is None:
        return
    aliases = BANK.aliases_for(answer) | {answer, *alternatives}
    accepted = [*alternatives, *BANK.aliases_for(answer)]
    for option in chosen:
        assert option.text not in aliases
        assert not BANK.aliases_for(option.text) & {answer}
        assert not grade(option.text, answer, accepted, known_terms=[option.text]).accepted
    assert len({option.text.casefold() for option in chosen}) == len(chosen)
