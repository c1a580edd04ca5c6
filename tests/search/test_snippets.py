"""Snippets: the best paragraph, cut around its first match, with every match marked."""

from search.documents import Paragraph
from search.snippets import LENGTH, best_snippet
from search.words import Word


def test_the_paragraph_with_the_most_query_words_is_chosen():
    paragraphs = [
        Paragraph("p-1", "BERT 是一个预训练模型。"),
        Paragraph("p-2", "BERT 的预训练任务是掩码语言模型，BERT 很有名。"),
        Paragraph("p-3", "这里只说 BERT。"),
    ]
    snippet = best_snippet(paragraphs, [Word("bert"), Word("预训练")])
    assert snippet.anchor == "p-2"  # both words, like p-1, and more matches of them
    assert "<mark>BERT</mark>" in snippet.html and "<mark>预训练</mark>" in snippet.html


def test_more_matches_break_a_tie_between_paragraphs():
    paragraphs = [Paragraph("p-1", "梯度很小。"), Paragraph("p-2", "梯度消失，梯度爆炸。")]
    assert best_snippet(paragraphs, [Word("梯度")]).anchor == "p-2"


def test_latin_words_match_whole_and_prefixes_at_a_word_start():
    paragraphs = [Paragraph("p-1", "various models"), Paragraph("p-2", "IoU 与 GIoU")]
    snippet = best_snippet(paragraphs, [Word("iou")])
    assert snippet.anchor == "p-2"
    assert str(snippet.html) == "<mark>IoU</mark> 与 GIoU"
    prefixed = best_snippet([Paragraph("p-1", "Transformer and transformers")], [Word("transf", True)])
    assert prefixed.html.count("<mark>") == 2


def test_matches_are_found_whatever_the_width_or_case_of_the_note():
    snippet = best_snippet([Paragraph("p-4", "检测指标ＩｏＵ很常用")], [Word("iou")])
    assert "<mark>ＩｏＵ</mark>" in snippet.html


def test_the_text_is_escaped():
    snippet = best_snippet([Paragraph("p-1", '<script>alert("x")</script> yield')], [Word("yield")])
    assert "<script>" not in snippet.html
    assert "&lt;script&gt;" in snippet.html
    assert "<mark>yield</mark>" in snippet.html


def test_a_long_paragraph_is_cut_around_its_first_match():
    text = "前" * 500 + "注意力" + "后" * 500
    snippet = best_snippet([Paragraph("p-9", text)], [Word("注意力")])
    visible = str(snippet.html).replace("<mark>", "").replace("</mark>", "")
    assert visible.startswith("…") and visible.endswith("…")
    assert len(visible) <= LENGTH + 2
    assert "<mark>注意力</mark>" in snippet.html


def test_without_a_match_in_the_body_the_opening_is_shown_unmarked_and_links_to_the_top():
    snippet = best_snippet([Paragraph("p-1", "开头"), Paragraph("p-2", "其后")], [Word("标题词")])
    assert snippet.anchor == "" and str(snippet.html) == "开头"
    assert best_snippet([], [Word("x")]) is None
