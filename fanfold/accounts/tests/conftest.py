import re


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in a mail that starts with `path_prefix`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", message.body)
    assert match, message.body
    return match.group(1)
