"""What the index reads from a rendered note: paragraphs by anchor, words by weight."""

from articles.rendering import render_article
from search.documents import indexed_text, paragraphs_of

BODY = """# 标题

第一段讲{{梯度消失}}。

| 层 | 作用 |
|---|---|
| BN | 归一化 |

```python
def numbers():
    yield 1
```

- 列表项讲$x^2$与注意力
"""


def test_paragraphs_keep_their_anchors_and_their_text():
    paragraphs = paragraphs_of(render_article(BODY).html)
    by_anchor = {paragraph.anchor: paragraph.text for paragraph in paragraphs}
    assert by_anchor["标题"] == "标题"
    first = next(text for text in by_anchor.values() if "第一段" in text)
    assert first == "第一段讲梯度消失。"
    assert any("BN" in text and "归一化" in text and "BN归一化" not in text for text in by_anchor.values())
    # The code block has no anchor of its own: it goes with the block before it.
    assert any("yield 1" in text for anchor, text in by_anchor.items() if anchor.startswith("p-"))
    listed = next(text for text in by_anchor.values() if "列表项" in text)
    assert "x" not in listed  # math is left out
    assert all(anchor for anchor in by_anchor)


def test_indexed_text_separates_title_facts_and_body():
    text = indexed_text("梯度问题", render_article(BODY).html, ["梯度消失"])
    assert text.title.split() == ["梯度", "问题"]
    assert {"梯度", "消失"} <= set(text.facts.split())
    assert "yield" in text.body.split() and "注意力" in text.body.split()
