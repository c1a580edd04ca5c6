"""Searching the index on the configured database (SQLite FTS5 or PostgreSQL full text)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.library_files import import_article_text
from articles.models import Article
from search.models import SearchDocument, SearchFact
from search.results import search
from search.words import add_words, index_words
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return make_user()


@pytest.fixture
def editor():
    return make_user(staff=True)


def titles(results) -> list[str]:
    return [note.article.title for note in results.notes]


def note(title, body, **fields):
    return make_article(title=title, body=body, **fields)


def test_a_title_match_ranks_above_a_key_fact_match_above_a_body_match(learner):
    note("正文提到", "很多模型都会用到归一化，这里顺带一提。\n\n其余内容与此无关。\n")
    note("关键事实", "训练深层网络时常用{{归一化}}稳定训练。\n")
    note("归一化方法总览", "本文比较几种常见做法。\n")
    assert titles(search("归一化", learner)) == ["归一化方法总览", "关键事实", "正文提到"]


def test_a_two_character_query_finds_its_word_inside_longer_words(learner):
    note("RNN", "长序列训练时容易出现梯度消失。\n")
    note("无关", "这篇讲的是数据增强与裁剪。\n")
    assert titles(search("梯度", learner)) == ["RNN"]
    assert titles(search("消失", learner)) == ["RNN"]
    # Words, not substrings: two characters straddling two words are not a word of the note.
    assert titles(search("度消", learner)) == []


def test_a_mixed_query_needs_every_part(learner):
    note("两者都有", "BERT 的预训练任务是掩码语言模型。\n")
    note("只有英文", "BERT 是 encoder-only 模型。\n")
    note("只有中文", "GPT 的预训练目标是下一个词。\n")
    assert titles(search("BERT 预训练", learner)) == ["两者都有"]
    assert titles(search("预训练 BERT", learner)) == ["两者都有"]
    assert set(titles(search("预训练", learner))) == {"两者都有", "只有中文"}


def test_traditional_input_finds_simplified_text(learner):
    note("自注意力", "自注意力机制让每个位置关注序列中的所有位置。\n")
    assert titles(search("注意力機制", learner)) == ["自注意力"]
    assert titles(search("關注", learner)) == ["自注意力"]


@pytest.mark.parametrize(
    "query", ["transformer", "TRANSFORMER", "Ｔｒａｎｓｆｏｒｍｅｒ", "ＴＲＡＮＳＦＯＲＭＥＲ "]
)
def test_case_and_width_are_ignored(learner, query):
    note("架构", "Transformer 由编码器和解码器组成。\n")
    note("全角", "ＴＲＡＮＳＦＯＲＭＥＲ写成全角也一样。\n")
    assert set(titles(search(query, learner))) == {"架构", "全角"}


def test_a_latin_word_being_typed_matches_as_a_prefix_and_a_finished_one_does_not(learner):
    note("Transformer", "Transformer 由编码器和解码器组成。\n")
    assert titles(search("transf", learner)) == ["Transformer"]
    assert titles(search("transf ", learner)) == []


def test_code_in_a_note_is_searchable(learner):
    note("生成器", "用法如下：\n\n```python\ndef numbers():\n    yield 1\n```\n")
    assert titles(search("yield", learner)) == ["生成器"]


def test_drafts_and_archived_notes_appear_only_to_editors(learner, editor):
    note("已发布", "量化把权重压到八位。\n")
    note("草稿", "量化的草稿。\n", status=Article.Status.DRAFT)
    note("归档", "量化的旧笔记。\n", status=Article.Status.ARCHIVED)
    assert titles(search("量化", learner)) == ["已发布"]
    assert search("量化", learner).total == 1
    assert set(titles(search("量化", editor))) == {"已发布", "草稿", "归档"}


def test_a_result_links_to_the_matching_paragraph_with_a_marked_snippet(learner):
    article = note("长文", "第一段讲数据。\n\n第二段讲别的。\n\n第三段讲剪枝与蒸馏。\n")
    [result] = search("剪枝", learner).notes
    anchor = result.snippet.anchor
    assert result.url == f"{article.get_absolute_url()}#{anchor}"
    assert f'id="{anchor}">第三段讲' in article.body_html
    assert "<mark>剪枝</mark>" in result.snippet.html


def test_key_facts_are_a_group_with_the_notes_that_hold_them(learner, editor):
    note("一", "检测常用{{IoU|交并比}}衡量重叠。\n")
    note("二", "评估框时看{{IoU|交并比}}。\n")
    note("三", "草稿里的{{IoU}}。\n", status=Article.Status.DRAFT)
    note("四", "只在正文提到 IoU 的笔记。\n")
    [fact] = search("iou", learner).facts
    assert "IoU" in fact.answer_html and fact.alternatives == ["交并比"] and fact.notes == 2
    assert search("iou", editor).facts[0].notes == 3
    assert search("交并比", learner).facts[0].notes == 2
    assert search("梯度", learner).facts == []


def test_results_come_a_page_at_a_time(learner):
    topic = make_topic()
    for number in range(23):
        make_article(topic=topic, title=f"卷积 {number:02d}", body="卷积核在图像上滑动。\n")
    first, second = search("卷积", learner, 1), search("卷积", learner, 2)
    assert first.total == second.total == 23
    assert len(first.notes) == 20 and len(second.notes) == 3 and first.has_next and not second.has_next
    assert not {n.article.pk for n in first.notes} & {n.article.pk for n in second.notes}


def test_an_edit_is_in_the_index_at_once(learner):
    article = note("Dropout", "训练时随机丢弃神经元。\n")
    article.body = "推理时使用全部神经元并缩放输出。\n"
    article.title = "推理"
    article.save()
    assert titles(search("丢弃", learner)) == []
    assert titles(search("缩放", learner)) == ["推理"]
    assert titles(search("dropout", learner)) == []


def test_a_deleted_note_leaves_the_index(learner):
    article = note("蒸馏", "知识蒸馏用教师模型指导学生模型。\n")
    pk = article.pk
    article.delete()
    assert titles(search("蒸馏", learner)) == []
    assert not SearchDocument.objects.filter(article_id=pk).exists()
    assert not SearchFact.objects.filter(article_id=pk).exists()


def test_a_save_that_is_rolled_back_leaves_nothing_in_the_index(learner):
    with pytest.raises(RuntimeError), transaction.atomic():
        note("回滚", "这段关于剪枝的文字不会留下。\n")
        raise RuntimeError("the surrounding work failed")
    assert titles(search("剪枝", learner)) == []
    assert not SearchDocument.objects.exists()


def test_imported_notes_are_indexed_and_reimports_update_them(learner):
    text = "---\ntitle: 导入的笔记\nslug: imported\ntopic: 导入\nstatus: published\n---\n\n讲的是{{量化}}。\n"
    assert import_article_text(text).outcome == "created"
    assert titles(search("量化", learner)) == ["导入的笔记"]
    assert import_article_text(text.replace("量化", "剪枝")).outcome == "updated"
    assert titles(search("量化", learner)) == [] and titles(search("剪枝", learner)) == ["导入的笔记"]


def test_the_rebuild_command_restores_a_lost_index(learner):
    note("池化", "池化层缩小特征图。\n")
    note("卷积", "卷积层提取特征。\n")
    SearchDocument.objects.all().delete()
    assert titles(search("特征", learner)) == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(titles(search("特征", learner))) == {"池化", "卷积"}
    SearchDocument.objects.filter(article__title="池化").delete()
    call_command("rebuild_search_index", missing=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(titles(search("特征", learner))) == {"池化", "卷积"}
    assert SearchDocument.objects.count() == 2


@pytest.mark.parametrize(
    ("query", "finds"),
    [('"', False), ('""', False), ("*", False), ("卷积*", True), ("NEAR(卷积 特征)", True),
     ("-卷积", True), ("title:卷积", False), ("body:卷积", False), ("(卷积", True), ("卷积)", True),
     ("AND OR NOT", False), ("near and", True), ("'", False), ("\\", False), ("%", False),
     ("卷积' OR 1=1 --", False), ("{body}: 卷积", False), ("^卷积", True), ("卷积 + -", True),
     (":*", False), ("&|!<->", False), ("卷积 & !特征", True), ("'卷积':*", True)],
)
def test_query_syntax_typed_by_anyone_is_only_text(learner, query, finds):
    note("卷积", "卷积层提取特征，NEAR 与 AND 只是普通的词。\n")
    results = search(query, learner)  # never a database error
    assert titles(results) == (["卷积"] if finds else [])


def test_a_note_indexed_before_the_segmenter_learnt_a_word_is_still_found(learner):
    note("对抗训练", "对抗样本让模型学会鲁棒：这就是对抗训练的想法。\n")
    assert "对抗训练" not in index_words("对抗训练")
    add_words(["对抗训练"])  # e.g. a term added to the bank after the note was saved
    assert titles(search("对抗训练", learner)) == ["对抗训练"]
