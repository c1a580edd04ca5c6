"""The bench's synthetic notes, and the library of them written in bulk.

Articles are not saved one by one. One Markdown body is rendered once, with placeholder answers;
every article gets that body and its HTML with its own answers put in, and its KeyFacts,
Questions and search index are written directly (with the same fingerprints extraction and the
same words indexing would give them).
"""

import json
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from html import escape

from articles.models import Article, fact_summary
from articles.rendering import RenderedArticle, render_article, sentence_html
from bench.rows import (
    ARTICLES,
    KEY_FACTS,
    QUESTIONS,
    SEARCH_DOCUMENTS,
    SEARCH_FACTS,
    db_time,
    insert_rows,
    next_id,
)
from bench.scales import PREFIX
from quizzes.extraction import fingerprints
from quizzes.grading import display_form, normalise
from quizzes.kinds import classify
from quizzes.models import KeyFact, KnownTerm, Question
from search.documents import indexed_text
from search.models import SearchFact
from search.words import add_words, index_words
from search.words import normalise as search_key

# fmt: off
VOCABULARY = {
    "L": ["AdamW", "GELU", "ResNet", "LayerNorm", "BatchNorm", "Dropout", "Transformer", "Softmax",
          "Embedding", "Tokenizer", "Encoder", "Decoder", "Momentum", "Sigmoid", "ReLU",
          "Perceptron", "Pooling", "Stride", "Padding", "Mixup", "Cutout", "Bagging", "Boosting",
          "XGBoost", "LightGBM", "Word2Vec", "GloVe", "BERT", "GPT", "ViT", "Swin", "DETR", "YOLO",
          "FPN", "Anchor", "NMS", "IoU", "mAP", "SGD", "RMSprop", "Adagrad", "Xavier", "Kaiming",
          "LoRA", "Adapter", "Prompt", "Beam Search", "Top-k", "Nucleus", "Perplexity", "Entropy",
          "Hinge", "Focal Loss", "Triplet", "Contrastive", "SimCLR", "MoCo", "BYOL", "CLIP",
          "Diffusion"],
    "C": ["权重衰减", "梯度消失", "梯度爆炸", "注意力机制", "残差连接", "归一化", "过拟合", "欠拟合",
          "正则化", "学习率", "损失函数", "激活函数", "卷积核", "池化层", "特征图", "感受野",
          "反向传播", "生成器", "迭代器", "装饰器", "闭包", "引用计数", "垃圾回收", "元组", "列表",
          "字典", "集合", "协程", "线程", "进程", "全局解释器锁", "上下文管理器", "描述符", "元类",
          "多态", "继承", "封装", "浅拷贝", "深拷贝", "哈希表"],
    "N": [str(year) for year in range(1980, 2025)],
    "K": ["yield", "__init__", "lambda", "async", "await", "with", "__iter__", "__next__", "super()",
          "gc.collect()", "sys.getrefcount", "__slots__", "@property", "functools.wraps",
          "itertools.chain", "copy.deepcopy", "__enter__", "__exit__", "nonlocal", "global"],
}
SENTENCES = {
    "L": ["第{n}个要点：实践中常用{f}来解决这个问题。", "论文里把这种结构称为{f}，它在很多任务上表现很好。",
          "在第{n}步，模型会先经过{f}再输出结果。"],
    "C": ["第{n}个要点：这种现象叫做{f}，训练时要特别注意。", "面试常问的第{n}题：{f}是如何工作的？"],
    "N": ["这种方法最早在{f}年提出，见要点{n}。"],
    "K": ["第{n}个要点：Python 中用{f}实现这一行为。"],
}
FILLER = [
    "在计算机视觉领域，对视觉特征的理解长期由 CNN 主导，而 Transformer 在 NLP 中的成功启发了新的思路。",
    "训练时要同时关注损失曲线和验证集上的指标，复杂度常写作 $O(n^2)$。",
    "很多工作都是在这个基础上改进的，下面分别介绍各个部分。",
    "这一点在面试中经常被问到，需要结合源码理解。",
]
CODE_BLOCK = "```python\ndef numbers():\n    for n in range(3):\n        yield n * n\n```"
# What the bench searches for: rare and common words, titles, mixed, Traditional, full-width.
SEARCHES = ["梯度消失", "transformer", "AdamW", "yield", "笔记 00042", "協程", "ＬｏＲＡ",
            "装饰器 闭包", "beam search", "2017", "注意力", "BERT 要点", "trans", "权重衰减 面试"]
# Eight Latin terms, six Chinese, four years and two pieces of code in every twenty facts.
KIND_PATTERN = "LCNLCKLCLNCLKCLNLCLN"
# fmt: on
TOKEN = re.compile(r"QQ\d{4}QQ")


def _token(slot: int) -> str:
    return f"QQ{slot:04d}QQ"


def template_body(fact_count: int) -> str:
    """A Markdown note with `fact_count` facts whose answers are placeholder tokens."""
    lines, sentences = ["# 笔记", ""], []
    for slot in range(fact_count):
        kind = KIND_PATTERN[slot % len(KIND_PATTERN)]
        markup = f"{{{{`{_token(slot)}`}}}}" if kind == "K" else f"{{{{{_token(slot)}}}}}"
        choices = SENTENCES[kind]
        sentences.append(choices[slot % len(choices)].format(n=slot + 1, f=markup))
        if len(sentences) == 4:
            if slot % 16 == 3:
                lines += [f"## 第{slot // 16 + 1}节", ""]
            lines += [FILLER[slot % len(FILLER)] + "".join(sentences), ""]
            sentences = []
    if sentences:
        lines += ["".join(sentences), ""]
    lines += [CODE_BLOCK, ""]
    return "\n".join(lines)


@cache
def rendered_template(fact_count: int) -> tuple[str, RenderedArticle]:
    body = Article.normalise_body(template_body(fact_count))
    return body, render_article(body)


def answers_for(article_number: int, fact_count: int) -> list[str]:
    """The answers of one article's facts: distinct within it, varied across articles."""
    answers, used = [], {kind: 0 for kind in VOCABULARY}
    for slot in range(fact_count):
        kind = KIND_PATTERN[slot % len(KIND_PATTERN)]
        words = VOCABULARY[kind]
        word = words[(article_number * 7 + used[kind]) % len(words)]
        used[kind] += 1
        answers.append(f"`{word}`" if kind == "K" else word)
    return answers


def wrong_options_for(answer: str) -> list[str]:
    """Three wrong options of the answer's own kind: the next words of its vocabulary."""
    code = answer.startswith("`")
    word = display_form(answer) if code else answer
    words = next(words for words in VOCABULARY.values() if word in words)
    start = words.index(word)
    picked = [words[(start + step) % len(words)] for step in (1, 2, 3)]
    return [f"`{other}`" if code else other for other in picked]


@dataclass(frozen=True)
class SyntheticArticle:
    body: str
    html: str
    facts: tuple  # articles.markup.Fact, answers and sentences filled in


def synthetic_article(article_number: int, fact_count: int) -> SyntheticArticle:
    """What rendering this article's Markdown gives, without rendering it again."""
    body, rendered = rendered_template(fact_count)
    raw = {
        _token(slot): display_form(answer)
        for slot, answer in enumerate(answers_for(article_number, fact_count))
    }
    html = {token: escape(text, quote=False) for token, text in raw.items()}

    def fill(text, values=raw):
        return TOKEN.sub(lambda match: values[match.group()], text)

    facts = tuple(
        replace(fact, answer=fill(fact.answer), sentence=fill(fact.sentence), context=fill(fact.context))
        for fact in rendered.facts
    )
    return SyntheticArticle(fill(body), fill(rendered.html, html), facts)


@dataclass(frozen=True)
class Library:
    """Where the facts are, by id: facts of one article and one topic are consecutive."""

    first_fact_id: int
    first_question_id: int
    facts_per_topic: int
    answers: list[str]  # by fact index
    options: list[list[str]]  # wrong options of each fact's MCQ, by fact index

    def topic_fact_indexes(self, topic_index: int) -> range:
        return range(topic_index * self.facts_per_topic, (topic_index + 1) * self.facts_per_topic)

    def question_id(self, fact_index: int, multiple_choice: bool) -> int:
        return self.first_question_id + 2 * fact_index + multiple_choice


def create_library(scale, topics, editor, now, rows) -> Library:
    if scale.articles % scale.topics:
        raise ValueError("articles must divide evenly among topics")
    per_topic = scale.articles // scale.topics
    fact_count = scale.facts_per_article
    first_article, first_fact = next_id(Article), next_id(KeyFact)
    first_question = next_id(Question)
    classified = {}
    answers, options, article_rows, fact_rows, question_rows = [], [], [], [], []
    titles = {}  # article id -> title
    for number in range(scale.articles):
        topic = topics[number // per_topic]
        article = synthetic_article(number, fact_count)
        article_id = first_article + number
        changed = db_time(now - timedelta(days=number % 365, minutes=number))
        titles[article_id] = f"{topic.name} · 笔记 {number + 1:05d}"
        article_rows.append(ARTICLES.row(
            id=article_id, topic_id=topic.pk, title=titles[article_id],
            slug=f"{PREFIX}{topic.order:02d}-{number + 1:05d}", body=article.body,
            body_html=article.html,
            fact_list=json.dumps([fact_summary(fact) for fact in article.facts], ensure_ascii=False),
            fact_count=fact_count, status=Article.Status.PUBLISHED, author_id=editor.pk,
            created_at=changed, updated_at=changed,
        ))
        keys = fingerprints(article.facts)
        for position, (fact, key) in enumerate(zip(article.facts, keys, strict=True)):
            fact_id, index = first_fact + len(answers), len(answers)
            if fact.answer not in classified:
                kinds = classify(fact.answer)
                classified[fact.answer] = (kinds.kind.value, kinds.script.value)
            kind, script = classified[fact.answer]
            fact_rows.append(KEY_FACTS.row(
                id=fact_id, article_id=article_id, topic_id=topic.pk, fingerprint=key,
                position=position, answer=fact.answer, alternatives="[]", wrong_options="[]", hint="",
                sentence=fact.sentence, sentence_html=sentence_html(fact.sentence), context=fact.context,
                anchor=fact.anchor, kind=kind, script=script, warnings="[]", is_active=True,
                created_at=changed,
            ))
            wrong = wrong_options_for(fact.answer)
            question_rows += [
                QUESTIONS.row(
                    id=first_question + 2 * index, fact_id=fact_id, type=Question.Type.FILL_IN,
                    wrong_options="[]", option_sources="[]", is_generated=True, is_disabled=False,
                    times_asked=0, times_correct=0,
                ),
                QUESTIONS.row(
                    id=first_question + 2 * index + 1, fact_id=fact_id,
                    type=Question.Type.MULTIPLE_CHOICE, wrong_options=json.dumps(wrong, ensure_ascii=False),
                    option_sources=json.dumps(["editor"] * len(wrong)), is_generated=True,
                    is_disabled=False, times_asked=0, times_correct=0,
                ),
            ]
            answers.append(fact.answer)
            options.append(wrong)
    rows["articles"] = insert_rows(ARTICLES, article_rows)
    rows["search documents"], rows["search facts"] = _index_library(scale, titles)
    rows["key facts"] = insert_rows(KEY_FACTS, fact_rows)
    rows["questions"] = insert_rows(QUESTIONS, question_rows)
    terms = {normalise(text) for answer in set(answers)
             for text in [answer, *wrong_options_for(answer)]}
    KnownTerm.objects.bulk_create([KnownTerm(text=term) for term in terms], ignore_conflicts=True)
    return Library(first_fact, first_question, per_topic * fact_count, answers, options)


class _IndexTemplate:
    """The search index of the template note, its answers left as placeholders: each note's
    index is the template's with its own answers' words put in, as indexing it would give."""

    def __init__(self, fact_count: int):
        add_words(answer for words in VOCABULARY.values() for answer in words)
        _, rendered = rendered_template(fact_count)
        self.text = indexed_text("", rendered.html, [])
        self.placeholder = re.compile(TOKEN.pattern.lower())

    @cache  # noqa: B019 - one template per build, a few hundred distinct answers
    def words(self, answer: str) -> str:
        return " ".join(index_words(answer))

    def document(self, article_id: int, title: str, answers: list[str]) -> tuple:
        shown = {_token(slot): display_form(answer) for slot, answer in enumerate(answers)}
        said = {_token(slot).lower(): self.words(text) for slot, text in enumerate(shown.values())}
        paragraphs = [
            [paragraph.anchor, TOKEN.sub(lambda match: shown[match.group()], paragraph.text)]
            for paragraph in self.text.paragraphs
        ]
        return SEARCH_DOCUMENTS.row(
            article_id=article_id,
            title=" ".join(index_words(title)),
            facts=" ".join(self.words(answer) for answer in answers),
            body=self.placeholder.sub(lambda match: said[match.group()], self.text.body),
            paragraphs=json.dumps(paragraphs, ensure_ascii=False),
        )


def _index_library(scale, titles: dict[int, str]) -> tuple[int, int]:
    """The search index of every note (by id, in build order), written in bulk like the notes."""
    template = _IndexTemplate(scale.facts_per_article)
    documents, facts = [], []
    first_fact = next_id(SearchFact)
    for number, (article_id, title) in enumerate(titles.items()):
        answers = answers_for(number, scale.facts_per_article)
        documents.append(template.document(article_id, title, answers))
        distinct = {search_key(answer): answer for answer in reversed(answers)}  # first wins
        for key, answer in distinct.items():
            facts.append(SEARCH_FACTS.row(
                id=first_fact + len(facts), article_id=article_id, answer=answer, alternatives="[]",
                key=key, words=template.words(answer),
            ))
    return insert_rows(SEARCH_DOCUMENTS, documents), insert_rows(SEARCH_FACTS, facts)
