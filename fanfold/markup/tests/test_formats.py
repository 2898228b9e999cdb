from fanfold.markup import TextFormat, plain_text, render_text


def test_plain_text_paragraphs_line_breaks_and_escaping():
    html = render_text("First line\nsecond line\n\n\nNew <b>para</b> & more", "plain")
    assert html == (
        "<p>First line<br>\nsecond line</p>\n<p>New &lt;b&gt;para&lt;/b&gt; &amp; more</p>"
    )


def test_markdown_renders_and_raw_html_is_sanitised():
    html = render_text(
        "# Title\n\nSome *emphasis* and **bold**.\n\n- one\n- two\n\n<script>alert(1)</script>",
        TextFormat.MARKDOWN,
    )
    assert "<h1>Title</h1>" in html and "<em>emphasis</em>" in html
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert "script" not in html and "alert" not in html


WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml>
<![endif]--><style>p.MsoNormal{mso-style-parent:"";margin:0cm}</style></head><body>
<p class="MsoNormal" style="mso-margin-top-alt:auto;line-height:115%"><span
style="font-family:&quot;Times New Roman&quot;;mso-fareast-font-family:Calibri">The rain
had not stopped for three days.<o:p></o:p></span></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal" style="text-align:center" align="center"><span style="font-size:12pt">
<b>Part One</b><o:p></o:p></span></p>
</body></html>"""


def test_word_paste_becomes_clean_paragraphs():
    html = render_text(WORD_PASTE, "html")
    assert "The rain\nhad not stopped for three days." in html
    assert "<b>Part One</b>" in html and "text-align:center" in html.replace(" ", "")
    for junk in (
        "Mso",
        "mso-",
        "o:p",
        "w:WordDocument",
        "font-family",
        "<span",
        "<style",
        "Normal",
        "&nbsp;",
    ):
        assert junk not in html, junk
    assert html.count("<p") == 2


GDOCS_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c4d">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt"><span style="font-size:11pt;'
    'font-family:Arial;color:#000000;font-weight:700;font-style:normal">Bold start</span>'
    '<span style="font-size:11pt;font-family:Arial;font-weight:400;font-style:italic">'
    ' then italics</span></p><br><p dir="ltr"><span style="font-size:11pt">Plain.'
    "</span></p></b>"
)


def test_google_docs_paste_keeps_bold_and_italics_without_spans():
    html = render_text(GDOCS_PASTE, "html")
    assert "<strong>Bold start</strong>" in html and "<em> then italics</em>" in html
    assert "<p" in html and "Plain." in html
    for junk in ("<span", "docs-internal-guid", "font-family", "<b ", "line-height"):
        assert junk not in html, junk


def test_html_without_blocks_gets_paragraphs():
    html = render_text("One <em>line</em>\n\nTwo", "html")
    assert html == "<p>One <em>line</em></p>\n<p>Two</p>"


def test_empty_input_is_empty_and_plain_text_extracts_text():
    assert render_text("   \n ", "markdown") == ""
    assert plain_text("<p>Hello&nbsp;<b>there</b></p>\n<p>you</p>") == "Hello there you"
