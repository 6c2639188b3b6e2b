"""A word-level diff of Markdown bodies for the admin's version compare.

django-reversion records every admin change to drugs and articles (who,
when, the change message and all fields, following the Page parent and the
inline rows); django-reversion-compare shows two versions side by side. Its
own diff works on characters, which turns an edited sentence into confetti,
so the body is compared word by word here.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")


def word_diff(old, new):
    """HTML showing `new` against `old`: removed words in <del>, added in <ins>."""
    before, after = TOKEN_RE.findall(old or ""), TOKEN_RE.findall(new or "")
    parts = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    # Every piece of text above is escaped; only the <del>/<ins> tags are ours.
    return mark_safe(f'<pre class="highlight word-diff">{"".join(parts)}</pre>')  # noqa: S308
