"""What `--lang` accepts: ISO 639-1 codes; a language's name or another code is told its code.

Kept apart from lang.py (detection, on every article parsed): only a query with --lang loads it.
"""

from __future__ import annotations

from newscli.archive.values import fold
from newscli.dump.lang import LANGS
from newscli.errors import UsageError

# ISO 639-1, all of it: a code newscli does not detect is still a language, and a valid answer.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln
lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi
pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti
tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

# For the eight languages newscli reads: their names in those languages, their ISO 639-2
# codes, and the country codes people type for them ('ua' is Ukraine, 'uk' its language).
_NAMES = {
    "de": "german deutsch allemand alemán tedesco niemiecki німецька немецкий deu ger at",
    "en": "english englisch anglais inglés inglese angielski англійська английский eng gb us",
    "uk": "ukrainian ukrainisch ukrainien ucraniano ucraino ukraiński українська украинский ukr ua",
    "ru": "russian russisch russe ruso russo rosyjski російська русский rus",
    "fr": "french französisch français francés francese francuski французька французский fra fre",
    "es": "spanish spanisch espagnol español castellano spagnolo hiszpański іспанська испанский spa",
    "it": "italian italienisch italien italiano włoski італійська итальянский ita",
    "pl": "polish polnisch polonais polaco polacco polski польська польский pol",
}
_CODE_OF = {fold(name): code for code, names in _NAMES.items() for name in names.split()}


def language_code(text: str) -> str:
    """The ISO 639-1 code `text` is (any case); a UsageError that names the code it means
    when it is a language name, an ISO 639-2 code or a country code."""
    wanted = fold(text.strip())
    if wanted in ISO_639_1:
        return wanted
    meant = _CODE_OF.get(wanted)
    if meant:
        return _refuse(text, f"did you mean '{meant}'?")
    return _refuse(text, "newscli reads " + ", ".join(LANGS))


def _refuse(text: str, hint: str) -> str:
    raise UsageError(f"--lang takes an ISO 639-1 code, and '{text}' is not one; {hint}")
