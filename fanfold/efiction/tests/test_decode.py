"""Decoding eFiction's bytes: right text, nothing dropped, every guess counted."""

from pathlib import Path

from fanfold.efiction.decode import DOUBLE_ENCODED, Decoder, cp1252

FILES = Path(__file__).parent / "fixtures" / "files" / "stories"


def test_ascii_and_utf8_are_not_guesses() -> None:
    d = Decoder()
    assert d.text(b"plain", what="stories.title") == "plain"
    assert d.text("Zoë Writer".encode(), what="authors.penname") == "Zoë Writer"
    assert d.text(None, what="stories.summary") == ""
    assert d.guesses == {}


def test_cp1252_fallback_is_counted_with_its_first_place() -> None:
    d = Decoder()
    raw = b"\x93Fire remembers,\x94 she said. It\x92s late\x85"
    assert d.text(raw, what="stories.summary", where="stories sid=2") == (
        "“Fire remembers,” she said. It’s late…"
    )
    d.text(b"caf\xe9", what="stories.summary", where="stories sid=9")
    assert d.guesses == {("stories.summary", "cp1252"): 2}
    assert d.examples == {("stories.summary", "cp1252"): "stories sid=2"}


def test_bytes_cp1252_leaves_undefined_are_kept() -> None:
    raw = bytes(range(0x80, 0xA0))
    decoded = Decoder().text(raw, what="x")
    assert len(decoded) == 32
    assert [decoded[i] for i in (1, 13, 15, 16, 29)] == ["\x81", "\x8d", "\x8f", "\x90", "\x9d"]
    assert decoded[0] == "€" and decoded[0x19] == "™"
    assert cp1252(b"\x81") == "\x81"


def test_double_encoded_utf8_is_repaired_and_counted() -> None:
    d = Decoder()
    mojibake = "Café’s regulars".encode().decode("cp1252").encode()
    assert mojibake == b"Caf\xc3\x83\xc2\xa9\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s regulars"
    assert d.text(mojibake, what="stories.storynotes", where="stories sid=7") == "Café’s regulars"
    assert d.guesses == {("stories.storynotes", DOUBLE_ENCODED): 1}
    assert d.examples[("stories.storynotes", DOUBLE_ENCODED)] == "stories sid=7"


def test_real_accents_are_left_alone() -> None:
    d = Decoder()
    for text in ["naïve café", "Ñandú", "Ænigma — a mage", "señor’s “quote”", "£5 and ¥3"]:
        assert d.text(text.encode(), what="x") == text
    assert d.guesses == {}


def test_plain_decodes_entities() -> None:
    d = Decoder()
    raw = b"Mira&#8217;s journey &quot;home&quot; &amp; back&#x2026;"
    assert d.plain(raw, what="stories.title") == 'Mira’s journey "home" & back…'
    assert d.text(raw, what="stories.summary") == raw.decode()
    assert d.plain(b"It\x92s &amp; more", what="stories.title") == "It’s & more"


def test_files() -> None:
    d = Decoder()

    def read(uid: int, chapid: int) -> str:
        path = FILES / str(uid) / f"{chapid}.txt"
        return d.file(path.read_bytes(), where=f"stories/{uid}/{chapid}.txt")

    assert read(1, 1) == "<p>Plain UTF-8 – with an en dash and “quotes”.</p>\n"
    assert read(1, 2) == "<p>UTF-8 with a byte order mark: naïve café.</p>\n"
    assert read(1, 3) == "<p>cp1252 “smart quotes” and it’s done…</p>\n"
    assert read(1, 4) == "<p>灯籠の道を歩いた。夜は長かった。</p>\n"
    assert read(2, 5) == "<p>竜は百年眠った。ゾーイのお気に入り。</p>\n"
    assert read(2, 6).startswith("First line of plain text.\r\n")
    assert d.guesses == {("file", "cp1252"): 1, ("file", "cp932"): 1}
    assert d.examples == {
        ("file", "cp1252"): "stories/1/3.txt",
        ("file", "cp932"): "stories/1/4.txt",
    }


def test_file_guessing_never_fails() -> None:
    d = Decoder()
    data = bytes(range(256)) * 4
    text = d.file(data, where="stories/9/9.txt")
    assert len(text) >= 256
    assert sum(d.guesses.values()) == 1
