"""Words of the notes and of queries: segmentation, one normal form, safe query words."""

from search.words import (
    MAX_QUERY_WORDS,
    Word,
    add_words,
    finer_words,
    index_words,
    normalise,
    query_words,
)


def test_normalise_folds_case_width_and_traditional_chinese():
    assert normalise("ＢＥＲＴ") == "bert"
    assert normalise("Transformer") == "transformer"
    assert normalise("機器學習與預訓練") == "机器学习与预训练"
    assert normalise("１２８维") == "128维"


def test_long_words_also_give_the_dictionary_words_inside_them():
    words = index_words("梯度消失与注意力机制")
    assert {"梯度", "消失", "注意力", "注意", "机制"} <= set(words)


def test_punctuation_is_not_a_word():
    assert index_words("（，。！？）——……") == []
    assert "init" in index_words("__init__()")
    assert "_" not in index_words("__init__()")


def test_added_words_stay_whole():
    assert "双塔召回" not in index_words("推荐系统常用双塔召回")  # no other test teaches it
    add_words(["双塔召回", "Skip-gram"])
    assert "双塔召回" in index_words("推荐系统常用双塔召回")
    assert [word.text for word in query_words("雙塔召回")] == ["双塔召回"]
    assert "skip-gram" in index_words("我们用Skip-gram训练词向量")


def test_query_words_are_normalised_and_each_appears_once():
    words = query_words("BERT 预训练 bert")
    texts = [word.text for word in words]
    assert texts[0] == "bert"
    assert texts.count("bert") == 1
    assert "训练" in texts
    assert query_words("ＢＥＲＴ 預訓練") == words


def test_only_a_latin_last_word_being_typed_is_a_prefix():
    assert query_words("transf") == [Word("transf", prefix=True)]
    assert query_words("transf ") == [Word("transf", prefix=False)]
    assert query_words("BERT 预训练")[-1].prefix is False
    assert query_words("IoU 交并")[0].prefix is False


def test_query_syntax_characters_are_not_words():
    assert query_words('"*NEAR(-:)') == [Word("near", prefix=False)]
    assert query_words("!!! ((( ))) *** --- ：：") == []
    assert query_words("") == []


def test_a_huge_query_is_cut_to_a_bounded_number_of_words():
    words = query_words(" ".join(f"word{number}" for number in range(5000)))
    assert 0 < len(words) <= MAX_QUERY_WORDS
    assert len(query_words("梯度" * 100_000)) == 1


def test_latin_words_are_never_cut_by_the_chinese_dictionary():
    add_words(["is", "van", "mo", "del"])  # short Latin names a term bank may hold
    words = index_words("vanishing gradient, masked language model")
    assert words == ["vanishing", "gradient", "masked", "language", "model"]


def test_joined_latin_words_are_whole_with_their_parts_beside_them():
    words = index_words("用 Skip-gram、gc.collect() 与 max_len，GPT-4 发布于2023年")
    for expected in ["skip-gram", "skip", "gram", "gc.collect", "collect", "max_len", "gpt-4", "2023", "年"]:
        assert expected in words
    assert [word.text for word in query_words("gc.collect() GPT-4 ")] == ["gc.collect", "gpt-4"]


def test_a_taught_word_remembers_how_it_was_cut_before():
    add_words(["对比学习"])
    assert "对比学习" in index_words("对比学习很流行")
    assert finer_words("对比学习") == ["对比", "学习"]
    assert finer_words("学习") == []  # jieba's own word: nothing to remember
