"""The matching of facts across edits, on plain data: no database."""

import pytest

from articles.markup import BLANK, scan
from quizzes.identity import (
    FactVersion,
    Relation,
    answer_key,
    answer_relation,
    is_spelling_fix,
    match_facts,
    sentence_similarity,
)


def versions(source: str, retired: bool = False) -> list[FactVersion]:
    """The facts of a Markdown text as the matcher sees them."""
    return [
        FactVersion(fact.answer, fact.sentence, position, tuple(fact.alternatives), retired)
        for position, fact in enumerate(scan(source))
    ]


def matched(before: str, after: str) -> list[int | None]:
    return match_facts(versions(before), versions(after))


NOTE = """# BN

Batch Normalization 由 {{Ioffe}} 和 Szegedy 提出。

ViT是{{Google}}在{{2020 ~2017 ~2018}}年提出的，它把图像切成{{patch::图像块}}。

优化器常用{{AdamW|Adam-W ~Adam ~SGD::优化器}}，激活函数常用{{GELU}}。
"""


# --- what keeps a fact -----------------------------------------------------------------------


def test_an_unchanged_note_continues_every_fact_in_place():
    assert matched(NOTE, NOTE) == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "before, after",
    [
        # extended with a few words
        ("由 {{Ioffe}} 和 Szegedy 提出", "由谷歌的 {{Ioffe}} 和 Szegedy 在 2015 年提出"),
        # shortened
        ("ViT是{{Google}}在{{2020}}年提出的", "ViT是{{Google}}提出的"),
        # a typo fixed elsewhere in the sentence
        (
            "Batch Normalizaton 由 {{Ioffe}} 和 Szegedy 提出",
            "Batch Normalization 由 {{Ioffe}} 和 Szegedy 提出",
        ),
        # reworded
        ("激活函数常用{{GELU}}。", "常用的激活函数是{{GELU}}。"),
        # clauses swapped
        ("ViT是{{Google}}在2020年提出的。", "2020年，{{Google}}提出了ViT。"),
        ("Adam 加上解耦的权重衰减就是 {{AdamW}}。", "{{AdamW}} 就是 Adam 加上解耦的权重衰减。"),
        # punctuation, width and spacing
        ("激活函数常用{{GELU}}。", "激活函数　常用 {{GELU}}！"),
        # alternatives, wrong options and hint changed (an accepted appeal adds "|Adam W")
        (
            "优化器常用{{AdamW|Adam-W ~Adam ~SGD::优化器}}。",
            "优化器常用{{AdamW|Adam-W|Adam W ~SGD ~RMSprop}}。",
        ),
        # the answer's spelling or formatting corrected
        ("优化器常用{{Adam W}}。", "优化器常用{{AdamW}}。"),
        ("优化器常用{{adamw}}。", "优化器常用{{AdamW}}。"),
        ("生成器用关键字{{yield}}返回值。", "生成器用关键字{{`yield`}}返回值。"),
        ("层数是{{１２}}。", "层数是{{12}}。"),
        ("Transformer 出自 {{Vaswanni}} 等人的论文。", "Transformer 出自 {{Vaswani}} 等人的论文。"),
        ("Inception 的作者之一是 {{Szegdey}}。", "Inception 的作者之一是 {{Szegedy}}。"),
        # the answer and its alternative swapped
        ("交并比的英文缩写是{{IoU|交并比}}。", "交并比的英文缩写是{{交并比|IoU}}。"),
        # English sentences
        (
            "The generator maps noise z to an image, trained against the {{discriminator}}.",
            "The generator maps random noise z to a fake image and is trained against the {{discriminator}}.",
        ),
    ],
)
def test_edits_that_keep_the_fact(before, after):
    assert matched(before, after) == [0] * len(scan(after)) or matched(before, after) == list(
        range(len(scan(after)))
    ), (before, after)


def test_a_moved_paragraph_keeps_its_facts():
    first, second = "ViT是{{Google}}在{{2020}}年提出的。", "激活函数常用{{GELU}}，优化器常用{{AdamW}}。"
    assert matched(f"{first}\n\n{second}", f"{second}\n\n{first}") == [2, 3, 0, 1]


def test_a_fact_added_or_removed_leaves_the_others_matched():
    before = "A 由 {{Ioffe}} 提出。\n\nB 用 {{GELU}}。\n\nC 用 {{AdamW}}。"
    after = "A 由 {{Ioffe}} 提出。\n\n新的一段讲 {{BPE}}。\n\nC 用 {{AdamW}}。"
    assert matched(before, after) == [0, None, 2]
    assert matched(after, before) == [0, None, 2]


# --- what makes a different fact --------------------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        ("正类的概率是 {{p}}，负类的概率是 1-p。", "正类的概率是 {{1-p}}，负类的概率是 p。"),
        ("Transformer 发表于 {{2017}} 年。", "Transformer 发表于 {{2018}} 年。"),
        ("Lasso 使用 {{L1}} 正则。", "Lasso 使用 {{L2}} 正则。"),
        ("优化器常用{{AdamW}}。", "优化器常用{{Adam}}。"),
        ("骨干网络是{{ResNet}}。", "骨干网络是{{ResNeXt}}。"),
        ("编码器的输出送入{{encoder}}。", "编码器的输出送入{{decoder}}。"),
        ("正则化常用{{权重衰退}}。", "正则化常用{{权重衰减}}。"),
        ("维度是{{512}}。", "维度是{{5120}}。"),
        ("公式是{{x+1}}。", "公式是{{x-1}}。"),
        # the answer becomes one of its own wrong options
        ("ViT是在{{2020 ~2017}}年提出的。", "ViT是在{{2017 ~2020}}年提出的。"),
        # a new answer in a new sentence
        ("激活函数常用{{GELU}}。", "分词常用{{BPE}}。"),
    ],
)
def test_a_changed_answer_is_a_different_fact_even_in_the_same_sentence(before, after):
    assert matched(before, after) == [None]
    assert matched(after, before) == [None]


@pytest.mark.parametrize(
    "before, after",
    [
        ("ResNet 在 {{2015}} 年赢得 ImageNet 比赛。", "Transformer 论文发表于 {{2015}} 年，作者来自谷歌。"),
        ("GELU 是 {{ReLU}} 的平滑版本。", "Swish 在 {{ReLU}} 的基础上加了可学习的门控。"),
    ],
)
def test_the_same_answer_in_a_sentence_about_something_else_is_a_different_fact(before, after):
    assert matched(before, after) == [None]
    assert matched(after, before) == [None]


def test_a_spelling_fix_needs_an_almost_unchanged_sentence():
    before = "Transformer 出自 {{Vaswanni}} 等人的论文。"
    assert matched(before, "Transformer 出自 {{Vaswani}} 等人的论文。") == [0]
    assert matched(before, "注意力机制的那篇名作由 {{Vaswani}} 领衔，发表在 NeurIPS。") == [None]


def test_a_spelling_fix_is_looked_for_only_between_spellings_the_other_text_lacks():
    before = "第一句 {{Vaswanni}} 写的。\n\n第二句 {{Vaswani}} 写的。"
    after = "第一句 {{Vaswani}} 写的。\n\n第二句 {{Vaswani}} 写的。"
    # "Vaswani" was already an answer: the first "Vaswani" is a new fact, "Vaswanni" retires.
    assert matched(before, after) == [None, 1]


# --- one to one, duplicates, splits and merges -----------------------------------------------


def test_two_facts_with_the_same_answer_never_swap_histories():
    before = "ViT 由 {{Google}} 提出，用于图像分类。\n\nBERT 由 {{Google}} 提出，用于语言理解。"
    swapped = "BERT 由 {{Google}} 提出，用于语言理解。\n\nViT 由 {{Google}} 提出，用于图像分类。"
    assert matched(before, swapped) == [1, 0]
    reworded = (
        "ViT 由 {{Google}} 在 2020 年提出，用于图像分类。\n\nBERT 由 {{Google}} 提出，用于自然语言理解。"
    )
    assert matched(before, reworded) == [0, 1]


def test_identical_duplicates_keep_their_order():
    line = "常用的激活函数是{{GELU}}。"
    assert matched(f"{line}\n\n{line}", f"{line}\n\n{line}") == [0, 1]
    assert matched(f"{line}\n\n{line}\n\n{line}", f"{line}\n\n{line}") == [0, 1]
    assert matched(f"{line}\n\n{line}", f"新的一句 {{{{BPE}}}}。\n\n{line}\n\n{line}") == [None, 0, 1]


def test_a_duplicated_fact_continues_once_and_the_copy_is_new():
    before = "Transformer 的激活函数常用{{GELU}}。"
    after = "Transformer 的激活函数常用{{GELU}}。\n\nBERT 的激活函数也常用{{GELU}}。"
    assert matched(before, after) == [0, None]


def test_a_removed_duplicate_retires_the_one_whose_sentence_went():
    before = "Transformer 的激活函数常用{{GELU}}。\n\nBERT 的激活函数也是{{GELU}}，这是一种平滑的激活。"
    after = "BERT 的激活函数也是{{GELU}}，这是一种平滑的激活。"
    assert matched(before, after) == [1]


def test_a_sentence_split_in_two_keeps_both_facts():
    before = "BN 由 {{Ioffe}} 和 Szegedy 在 {{2015}} 年提出，用来加速训练。"
    after = "BN 由 {{Ioffe}} 和 Szegedy 提出。它在 {{2015}} 年发表，用来加速训练。"
    assert matched(before, after) == [0, 1]


def test_one_answer_split_into_two_facts_retires_it_and_makes_two_new_ones():
    before = "BN 的作者是 {{Ioffe 和 Szegedy}}。"
    after = "BN 的作者是 {{Ioffe}} 和 {{Szegedy}}。"
    assert matched(before, after) == [None, None]
    assert matched(after, before) == [None]  # and merged back: one new fact, both retired


def test_two_sentences_merged_into_one_keep_both_facts():
    before = "BN 由 {{Ioffe}} 和 Szegedy 提出。它在 {{2015}} 年发表。"
    after = "BN 由 {{Ioffe}} 和 Szegedy 在 {{2015}} 年发表。"
    assert matched(before, after) == [0, 1]


def test_two_facts_with_one_answer_merged_into_one_keep_the_closer_one():
    before = "ViT 由 {{Google}} 提出。\n\nBERT 由 {{Google}} 提出，用于语言理解。"
    after = "ViT 和 BERT 都由 {{Google}} 提出。"
    assert matched(before, after) == [0]


def test_a_paragraph_deleted_and_rewritten_keeps_what_still_says_the_same():
    before = "Transformer 由 {{Vaswani}} 等人在 {{2017}} 年提出，核心是{{自注意力}}，它抛弃了循环结构。"
    after = (
        "{{2017}} 年，{{Vaswani}} 等人在论文里提出 Transformer：完全依靠{{自注意力}}，"
        "不再使用 RNN 的循环结构。\n\n位置信息由{{位置编码}}提供。"
    )
    result = matched(before, after)
    assert result[3] is None  # the new fact
    assert sorted(i for i in result if i is not None) == sorted(set(i for i in result if i is not None))
    # What continues keeps its own answer: a fact never continues one with another answer.
    old, new = versions(before), versions(after)
    for new_index, old_index in enumerate(result):
        if old_index is not None:
            assert old[old_index].answer == new[new_index].answer


def test_everything_rewritten_from_scratch_is_new():
    before = "ViT是{{Google}}在{{2020}}年提出的。"
    after = "Swin Transformer 由{{微软}}在{{2021}}年发表。"
    assert matched(before, after) == [None, None]


# --- retired facts ----------------------------------------------------------------------------


def test_a_restored_paragraph_brings_back_a_retired_fact():
    old = versions("BN 由 {{Ioffe}} 提出，用来加速训练。", retired=True)
    new = versions("BN 由 {{Ioffe}} 提出，用来加速训练。")
    assert match_facts(old, new) == [0]


def test_facts_in_the_text_come_before_retired_ones():
    sentence = "BN 由 {{Ioffe}} 提出，用来加速训练。"
    old = versions(sentence, retired=True) + versions(sentence)
    new = versions(sentence)
    assert match_facts(old, new) == [1]
    assert match_facts(old, new + new) == [1, 0]


def test_an_answer_changed_back_revives_the_old_fact():
    first = versions("Transformer 发表于 {{2017}} 年。", retired=True)
    now = versions("Transformer 发表于 {{2018}} 年。")
    again = versions("Transformer 发表于 {{2017}} 年。")
    assert match_facts(first + now, again) == [0]


# --- the pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Adam W", "AdamW"),
        ("Adam-W", "AdamW"),
        ("`yield`", "yield"),
        ("ＧＥＬＵ", "gelu"),
        ("t-SNE", "tSNE"),
        ("交 并 比", "交并比"),
    ],
)
def test_formatting_does_not_change_the_answer(a, b):
    assert answer_key(a) == answer_key(b)


@pytest.mark.parametrize(
    "a, b", [("1-p", "1p"), ("a-b", "ab"), ("x+1", "x-1"), ("L1", "L2"), ("__init__", "init")]
)
def test_symbols_digits_and_underscores_are_part_of_the_answer(a, b):
    assert answer_key(a) != answer_key(b)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("Vaswanni", "Vaswani", True),
        ("Szegdey", "Szegedy", True),
        ("Transfomer", "Transformer", True),
        ("ResNet", "ResNeXt", False),  # a capital: another name
        ("AdamW", "Adam", False),  # too short to be a typo
        ("float", "floor", False),
        ("encoder", "decoder", False),  # two letters
        ("softmax", "softmin", False),
        ("GPT-3", "GPT-4", False),
        ("权重衰退", "权重衰减", False),  # Chinese: never fuzzy
        ("Vaswani", "Vaswani", False),  # not a fix: the same
    ],
)
def test_spelling_fixes(old, new, expected):
    assert is_spelling_fix(old, new) is expected
    assert is_spelling_fix(new, old) is expected


def test_answer_relations_rank_closest_first():
    def relation(a, b, alternatives=()):
        return answer_relation(FactVersion(a, "", 0, tuple(alternatives)), FactVersion(b, "", 0))

    assert relation("GELU", "GELU") is Relation.SAME
    assert relation("Adam W", "AdamW") is Relation.FORMATTING
    assert relation("IoU", "交并比", ["交并比"]) is Relation.ALTERNATIVE
    assert relation("Vaswanni", "Vaswani") is Relation.SPELLING
    assert relation("2017", "2018") is None
    assert Relation.SAME < Relation.FORMATTING < Relation.ALTERNATIVE < Relation.SPELLING


def test_sentence_similarity_is_symmetric_bounded_and_one_for_formatting_only_changes():
    a = f"ViT是Google在{BLANK}年提出的。"
    assert sentence_similarity(a, a) == 1.0
    assert sentence_similarity(a, f"ViT 是 Google 在 {BLANK} 年提出的！") == 1.0
    b = f"Swin 由微软在{BLANK}年发表。"
    assert sentence_similarity(a, b) == sentence_similarity(b, a)
    assert 0.0 <= sentence_similarity(a, b) < 0.55
    assert sentence_similarity("", a) == 0.0


def test_matching_is_deterministic_whatever_the_order_of_the_old_facts():
    old = versions(NOTE)
    new = versions(NOTE.replace("激活函数常用", "Transformer 的激活函数常用"))
    forward = match_facts(old, new)
    backward = match_facts(old[::-1], new)
    assert [None if i is None else len(old) - 1 - i for i in backward] == forward
