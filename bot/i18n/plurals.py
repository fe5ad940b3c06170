"""Gettext Plural-Forms headers that agree with CLDR, and a check that a catalog's header does.

A catalog's `Plural-Forms` header decides which `msgstr[i]` ngettext serves for a count, so a wrong header makes every
plural in that language wrong without any error. Babel's header table (`babel.messages.plurals.PLURALS`) is older
than CLDR and differs from it for some of our languages; `plural_forms()` corrects those and proves the result.
"""

from __future__ import annotations

import gettext
from functools import cache

from babel import Locale
from babel.messages.plurals import get_plural

# Counts a chat bot shows (places, services, kilometres). CLDR's French and Spanish "many" starts at 1,000,000 and is
# left out on purpose: the gettext convention for them has two forms and translators expect it.
SAMPLE = range(0, 1001)

# CLDR plural categories in the order gettext catalogs number their forms.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")

# Where babel's table disagrees with CLDR for integers (each is proved against CLDR in plural_forms()):
# - ar: babel gives 11-99 and 100-102 each other's forms; CLDR "many" is n % 100 in 11..99, "other" is 100-102, ...
# - fa, tr: babel has a single form; CLDR has "one" and "other" (fa: "one" is 0 and 1).
# - mk: babel says n != 1; CLDR "one" is every n ending in 1 except 11 (21, 31, 101, ...).
# - fr, es: babel 2.18+ adds CLDR's "many" (exact millions) as a third form; below a million there are two (see SAMPLE).
# Babel's table changes between releases (2.19 fixed Arabic): the corrections keep every version giving one answer.
CORRECTIONS = {
    "ar": (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)"),
    "es": (2, "(n != 1)"),
    "fa": (2, "(n > 1)"),
    "fr": (2, "(n > 1)"),
    "mk": (2, "(n%10==1 && n%100!=11 ? 0 : 1)"),
    "tr": (2, "(n != 1)"),
}


@cache
def plural_forms(language: str) -> str:
    """The `Plural-Forms` header value for a babel locale ("sr_Latn"), checked against CLDR."""
    locale = Locale.parse(language)
    num_plurals, expression = CORRECTIONS.get(str(locale)) or CORRECTIONS.get(locale.language) or get_plural(locale)
    problem = plural_problem(language, num_plurals, expression)
    if problem:
        raise ValueError(f'no CLDR-correct plural rule known for "{language}" ({problem}); '
                         f"add one to CORRECTIONS in {__name__}")
    return f"nplurals={num_plurals}; plural={expression};"


def plural_problem(language: str, num_plurals: int, expression: str) -> str | None:
    """What is wrong with a catalog's plural header for this language, or None when it agrees with CLDR."""
    rule = Locale.parse(language).plural_form
    categories = [rule(n) for n in SAMPLE]
    used = [category for category in CATEGORIES if category in categories]
    if num_plurals != len(used):
        return f"nplurals={num_plurals}, but CLDR has {len(used)} forms for counts ({', '.join(used)})"
    try:
        choose = gettext.c2py(expression)
    except (ValueError, SyntaxError) as error:
        return f'plural expression "{expression}" is not valid: {error}'
    for n, category in zip(SAMPLE, categories):
        if choose(n) != used.index(category):
            return (f"the plural expression picks form {choose(n)} for n={n}, but CLDR says "
                    f'"{category}", which is form {used.index(category)}')
    return None
