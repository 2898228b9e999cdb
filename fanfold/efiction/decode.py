"""Turn the bytes of an eFiction archive into text without losing a character.

eFiction declared its tables latin1 and stored whatever the browser sent: UTF-8 from
modern browsers, cp1252 from old Windows ones, and now and then UTF-8 that some tool had
already read as cp1252 and written back as UTF-8 ("Ã©" for "é"). Chapter files were
uploaded as-is, in any encoding. A Decoder picks an encoding per value, never drops a
byte, and counts every guess it had to make (what, encoding) with the first place it
happened, so the import report can say "312 story summaries were cp1252, e.g. sid=12".
"""

import html
import re
from collections import Counter

import ftfy
from charset_normalizer import from_bytes

# cp1252 with its five undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) kept as latin1 would
# keep them, so decoding can never fail and never drops anything: decode as latin1
# (one code point per byte) and then move 0x80-0x9F to cp1252's characters.
_CP1252 = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_CP1252_TABLE = str.maketrans({chr(b): c for b, c in _CP1252.items()})

# Double-encoded UTF-8 always shows a UTF-8 lead byte read as cp1252 (Â-ô) followed by a
# continuation byte read as cp1252 (0x80-0xBF: C1 controls, €, …, ™ and Latin-1 ¡-¿).
# Text without such a pair cannot be mojibake, so ftfy is not asked.
_CONTINUATION = "\x80-\xbf" + "".join(sorted(_CP1252.values()))
_MOJIBAKE = re.compile(f"[\xc2-\xf4][{re.escape(_CONTINUATION)}]")

# Encodings a chapter file that is not UTF-8 may plausibly be in (charset_normalizer
# names). Western first: when two fit equally, the Western one is the likelier.
FILE_ENCODINGS = [
    "cp1252",
    "cp932",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
    "cp1251",
    "koi8_r",
    "iso8859_2",
    "cp1250",
    "iso8859_7",
    "cp1253",
    "iso8859_9",
    "cp1254",
]

DOUBLE_ENCODED = "utf-8 double-encoded"


def entities_decoded(text: str) -> str:
    """HTML entities (`&#8217;`, `&amp;`) as the characters they stand for."""
    return html.unescape(text) if "&" in text else text


def cp1252(raw: bytes) -> str:
    """cp1252, with the bytes it leaves undefined decoded as latin1 (never dropped)."""
    return raw.decode("latin-1").translate(_CP1252_TABLE)


class Decoder:
    """Decodes fields and files, remembering every guess it made."""

    def __init__(self) -> None:
        self.guesses: Counter[tuple[str, str]] = Counter()
        self.examples: dict[tuple[str, str], str] = {}

    def text(self, raw: bytes | None, *, what: str, where: str = "") -> str:
        """A database field: UTF-8 if it is valid UTF-8, else cp1252; mojibake repaired."""
        if raw is None:
            return ""
        if raw.isascii():
            return raw.decode("ascii")
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            self._guess(what, "cp1252", where)
            return cp1252(raw)
        return self._repair(decoded, what, where)

    def plain(self, raw: bytes | None, *, what: str, where: str = "") -> str:
        """text(), then HTML entities decoded: for fields shown as plain text (titles,
        names) that eFiction stored with `&#8217;` and `&amp;`."""
        return entities_decoded(self.text(raw, what=what, where=where))

    def file(self, data: bytes, *, where: str) -> str:
        """A chapter file (stories/<uid>/<chapid>.txt)."""
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            try:
                return self._repair(data.decode("utf-8"), "file", where)
            except UnicodeDecodeError:
                pass  # a BOM in front of something else: guess like any other file
        else:
            try:
                return self._repair(data.decode("utf-8"), "file", where)
            except UnicodeDecodeError:
                pass
        encoding = _guess_file_encoding(data)
        self._guess("file", encoding, where)
        return cp1252(data) if encoding == "cp1252" else data.decode(encoding)

    def _repair(self, decoded: str, what: str, where: str) -> str:
        if decoded.isascii() or not _MOJIBAKE.search(decoded):
            return decoded
        fixed = ftfy.fix_encoding(decoded)
        if fixed == decoded:
            return decoded
        self._guess(what, DOUBLE_ENCODED, where)
        return fixed

    def _guess(self, what: str, encoding: str, where: str) -> None:
        key = (what, encoding)
        self.guesses[key] += 1
        self.examples.setdefault(key, where)


def _guess_file_encoding(data: bytes) -> str:
    best = from_bytes(data, cp_isolation=FILE_ENCODINGS).best()
    if best is None:
        return "cp1252"
    encoding = str(best.encoding)
    try:
        decoded = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return "cp1252"
    # Short Western texts often fit cp1250 or latin2 as well; when cp1252 reads the
    # bytes the same way, say cp1252, the encoding eFiction's users actually had.
    return "cp1252" if decoded == cp1252(data) else encoding
