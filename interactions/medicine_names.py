"""Names people type that are not pages of their own.

Combination products resolve to their parts (co-codamol is codeine and
paracetamol), and a short list of common medicines we have no page on yet
lets the checker and search say so plainly instead of finding nothing. The
list is deliberately short and exact (no spelling guesses), so an ordinary
word is never taken for a medicine. Any name that gets a page of its own is
recognised as that page first.
"""

import re

# Name as shown -> its parts, as shown. Parts are looked up like typed names.
COMBINATIONS = {
    "Co-codamol": ("codeine", "paracetamol"),
    "Co-dydramol": ("dihydrocodeine", "paracetamol"),
    "Co-codaprin": ("codeine", "aspirin"),
    "Zapain": ("codeine", "paracetamol"),
    "Tramacet": ("tramadol", "paracetamol"),
    "Nurofen Plus": ("ibuprofen", "codeine"),
}

MEDICINES_WITHOUT_PAGES = """
    alprazolam amitriptyline amlodipine apixaban aspirin atorvastatin buprenorphine
    cetirizine citalopram clonazepam dihydrocodeine diphenhydramine duloxetine
    escitalopram fentanyl fluoxetine gabapentin ibuprofen levothyroxine lithium
    lorazepam metformin methadone morphine naproxen nitrazepam olanzapine omeprazole
    oxycodone paracetamol paroxetine prednisolone promethazine quetiapine ramipril
    simvastatin temazepam trazodone venlafaxine warfarin zolpidem
""".split()  # noqa: SIM905 - a word list reads better as text


def _key(name):
    """Words as search.tokens() gives them (these names are plain ASCII)."""
    return tuple(re.findall(r"[^\W_]+", name.lower()))


_COMBINATIONS = {_key(name): (name, parts) for name, parts in COMBINATIONS.items()}
_WITHOUT_PAGES = {_key(name): name for name in MEDICINES_WITHOUT_PAGES}
LONGEST = max(len(key) for key in [*_COMBINATIONS, *_WITHOUT_PAGES])


def combination(words):
    """(name, parts) when these words name a combination product, else None."""
    return _COMBINATIONS.get(tuple(words))


def medicine_without_page(words):
    """The name of a common medicine we have no page on, else None."""
    return _WITHOUT_PAGES.get(tuple(words))


def combination_names():
    return sorted(COMBINATIONS, key=str.casefold)
