"""Markdown: the text of a Markdown article, markup stripped, each heading, paragraph line and list item a line."""

from __future__ import annotations

from markdown_it import MarkdownIt

from . import html

# "breaks" keeps each source line a line: Chinese prose has no spaces to rejoin soft-wrapped lines with.
PARSER = MarkdownIt("commonmark", {"breaks": True}).enable("table")


def text(markdown: str) -> str:
    """The article's text: rendered to HTML by a CommonMark parser, then read as a page's visible lines."""
    return html.text(PARSER.render(markdown))
