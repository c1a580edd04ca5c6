"""Questions that give themselves away: the answer in its own stem, options the stem names."""

import pytest

from articles.markup import leans_on_previous, scan
from quizzes.giveaways import fact_warnings, mentions


@pytest.mark.parametrize(
    ("stem", "needle"),
    [
        ("模型名 ViT-B/16 末尾的数字", "16"),
        ("比 ReLU 更平滑", "relu"),
        ("用 ＧＥＬＵ 激活", "GELU"),
        ("取 fan_in 时", "`fan_in`"),
        ("最大池化会丢掉位置信息", "位置"),
        ("两框不相交时 IoU 为 0。", "0"),
    ],
)
def test_mentions(stem, needle):
    assert mentions(stem, needle)


@pytest.mark.parametrize(
    ("stem", "needle"),
    [
        ("边长 160 像素", "16"),
        ("取值为 0.5", "0"),
        ("GIoU 的惩罚项", "IoU"),
        ("数值越大", "值"),  # one Chinese character is part of too many words
        ("AdamW 的衰减", "Adam"),
        ("", "x"),
    ],
)
def test_does_not_mention(stem, needle):
    assert not mentions(stem, needle)


def warnings_for(**fact):
    defaults = {"alternatives": (), "wrong_options": (), "context": "", "leans_back": False}
    return fact_warnings(line=3, column=7, **(defaults | fact))


def test_answer_elsewhere_in_the_stem_is_a_warning_with_its_place():
    (warning,) = warnings_for(answer="16", sentence="边长为\x00像素，模型名 ViT-B/16 说的就是它。")
    assert (warning.line, warning.column) == (3, 7)
    assert "16" in warning.message


def test_alternative_in_the_context_is_a_warning():
    assert warnings_for(
        answer="交并比", alternatives=("IoU",), sentence="它也叫＿＿。", context="IoU 衡量重叠。"
    )


def test_named_wrong_option_is_a_warning():
    (warning,) = warnings_for(
        answer="增大", wrong_options=("减小", "不变"), sentence="分错的样本权重会＿＿，分对的则减小。"
    )
    assert "减小" in warning.message


def test_leaning_sentence_without_its_context_is_a_warning():
    assert warnings_for(answer="召回率", sentence="这个比值就是＿＿。", leans_back=True)
    assert not warnings_for(
        answer="召回率", sentence="这个比值就是＿＿。", context="TP 除以 TP+FN。", leans_back=True
    )


def test_clean_fact_has_no_warning():
    assert warnings_for(answer="Google", sentence="ViT 是＿＿提出的。", wrong_options=("Meta",)) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "它的方差为 1。",
        "每个类别内部的这个比值，就是召回率。",
        "实验表明该方法更快。",
        "上述三种做法都行。",
        "前者更快。",
    ],
)
def test_sentences_that_lean_on_the_one_before(sentence):
    assert leans_on_previous(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["函数体里只要出现 yield，这个函数就变成生成器。", "因此应该先归一化。", "ViT 由 Google 提出。"],
)
def test_sentences_that_stand_alone(sentence):
    assert not leans_on_previous(sentence)


def test_a_fact_leaning_mid_sentence_is_shown_with_its_context():
    (fact,) = scan("TP 除以 TP 加 FN。每个类别内部的这个比值，其实就是该类的{{召回率}}。")
    assert fact.context.startswith("TP 除以")


def test_a_stored_warning_reads_in_the_readers_language():
    from django.utils import translation

    from quizzes.giveaways import translated

    (warning,) = warnings_for(answer="16", sentence="边长为＿＿像素，模型名 ViT-B/16。")
    stored = warning.as_dict()
    assert stored["message"].startswith("The question shows its own answer: 16")
    with translation.override("zh-hans"):
        assert translated(stored) == "题目泄露了答案：16 出现在题干的其他位置。"
    with translation.override("en"):
        assert translated(stored) == stored["message"]
