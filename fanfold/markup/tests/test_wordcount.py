import pytest

from fanfold.markup import count_words


@pytest.mark.parametrize(
    ("html", "words"),
    [
        ("", 0),
        ("Hello there, world!", 3),
        ("Don't stop; it's well-known.", 4),
        ("wait — what – now", 3),
        ("In 1999 she paid 3.50", 5),
        ("<p>one</p><p>two</p>", 2),
        ("a&nbsp;b &amp; c", 3),
        ("<p>kept</p><script>not counted here</script><style>p{}</style>", 1),
        ("我爱你", 3),
        ("こんにちは", 5),
        ("カタカナ", 4),
        ("I love 東京", 4),
        ("สวัสดีครับ", 10),
        ("Привет, мир", 2),
        ("<em>Ай</em> и 漢字", 4),
    ],
)
def test_counts(html, words):
    assert count_words(html) == words


def test_a_whole_novel_counts_exactly():
    paragraph = "<p>" + " ".join(f"word{i}" for i in range(250)) + "</p>\n"
    assert count_words(paragraph * 1012) == 253_000
