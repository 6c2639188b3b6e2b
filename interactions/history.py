"""What changed between two versions of a page, for people to read.

The reviewer's screen compares a pending version with the live page: a list
of the fields that changed and a word-level diff of the Markdown body. The
admin's version compare (django-reversion-compare) uses the same body diff.
Its own diff works on characters, which turns an edited sentence into
confetti, so the body is compared word by word here.

A word diff of two long bodies with difflib is quadratic in the worst case
(a 100 KB body took nearly a minute), so the bodies are first matched line
by line, and only the lines that changed are compared word by word.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
# Above this many words a changed block is shown as removed and added whole.
MAX_WORD_DIFF_TOKENS = 4000

# Fields the reviewer sees, as their content-file names, with labels.
FIELD_LABELS = {
    "title": "Title",
    "name": "Name",
    "kind": "Kind",
    "drugs": "Drugs",
    "severity": "Severity",
    "summary": "Summary",
    "brand_names": "Brand names",
    "drug_class": "Drug class",
    "effects": "Effects",
    "see_also": "See also",
    "populations": "Populations",
    "references": "Sources",
}


def _words(old, new):
    before, after = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    if len(before) + len(after) > MAX_WORD_DIFF_TOKENS:
        return [
            f"<del>{escape(old)}</del>" if old else "",
            f"<ins>{escape(new)}</ins>" if new else "",
        ]
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
    return parts


def word_diff(old, new):
    """HTML showing `new` against `old`: removed words in <del>, added in <ins>."""
    before = (old or "").splitlines(keepends=True)
    after = (new or "").splitlines(keepends=True)
    parts = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[i1:i2])))
        else:
            parts.extend(_words("".join(before[i1:i2]), "".join(after[j1:j2])))
    # Every piece of text above is escaped; only the <del>/<ins> tags are ours.
    return mark_safe(f'<pre class="highlight word-diff">{"".join(parts)}</pre>')  # noqa: S308


def _shown(value):
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(f"{item['title']} ({item['url']})" for item in value)
        return ", ".join(value) or "none"
    return str(value) if value not in (None, "") else "none"


def changed_fields(old_meta, new_meta):
    """(label, old, new) for each field the reviewer should look at."""
    return [
        (label, _shown(old_meta.get(name)), _shown(new_meta.get(name)))
        for name, label in FIELD_LABELS.items()
        if name in new_meta and old_meta.get(name) != new_meta.get(name)
    ]
