"""The input contract as data: fields, their header aliases, and the input kinds (spec sections 1-2)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# field -> header names users write (matched after `fold_header`)
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "product": ("product", "product id", "sku", "item", "item no", "item number", "article", "artikel", "artikelnummer",
                "artikel-nr", "artnr", "material", "materialnummer", "material-nr"),
    "market": ("market", "markt", "channel", "kanal", "vertriebsweg", "customer group",
               "kundengruppe", "region", "absatzmarkt", "segment"),
    "period": ("period", "periode", "week", "woche", "kw", "kalenderwoche", "month", "monat",
               "date", "datum"),
    "quantity": ("quantity", "qty", "menge", "forecast", "prognose", "absatz", "absatzmenge",
                 "volume"),
    "planned_quantity": ("planned quantity", "planmenge", "produktionsmenge", "fertigungsmenge",
                         "production quantity"),
    "line": ("line", "linie", "produktionslinie", "anlage", "resource", "ressource",
             "work center", "arbeitsplatz"),
    "available_hours": ("hours", "available hours", "stunden", "verfügbare stunden", "kapazität",
                        "capacity", "capacity hours"),
    "max_hours": ("max hours", "maximum hours", "maximale stunden", "max stunden"),
    "rate": ("rate", "units per hour", "output per hour", "leistung", "ausbringung",
             "stück pro stunde"),
    "shelf_life_days": ("shelf life", "shelf life days", "mhd", "mindesthaltbarkeit",
                        "haltbarkeit"),
    "min_remaining_shelf_life_days": ("min remaining shelf life", "restlaufzeit",
                                      "mindestrestlaufzeit", "minimum remaining shelf life",
                                      "min remaining shelf life days", "mindestrestlaufzeit tage"),
    "priority_class": ("priority", "priority class", "prioritaet", "prio", "class", "klasse",
                       "prioritätsklasse", "prioklasse"),
    "unit": ("unit", "einheit", "me", "uom"),
    "name": ("name", "bezeichnung", "description", "beschreibung", "kurztext",
             "materialkurztext", "artikelbezeichnung"),
    "product_group": ("product group", "group", "warengruppe", "produktgruppe", "artikelgruppe"),
    "price": ("price", "unit price", "preis", "verkaufspreis", "nettopreis"),
    "margin": ("margin", "unit margin", "marge", "deckungsbeitrag", "db"),
    "net_weight": ("net weight", "weight", "nettogewicht", "gewicht", "kg je einheit", "kg/stk",
                   "net weight kg", "nettogewicht kg", "gewicht netto", "weight net"),
    "changeover_hours": ("changeover", "changeover hours", "setup", "setup hours", "rüstzeit",
                         "ruestzeit", "rüststunden", "rüstzeit stunden", "umrüstzeit"),
    "shift": ("shift", "schicht", "schichtart"),
    "measure": ("measure", "key figure", "kennzahl", "planungsart", "typ"),
    "year": ("year", "jahr", "geschäftsjahr"),
}

# fields that shape how a sheet is read without being stored: the year beside a week or month
# number, the shift of a capacity row (shifts are added up), the measure of a row
AUX_FIELDS = frozenset({"year", "shift", "measure"})

# fields whose values are numbers; all others are text
NUMERIC_FIELDS = frozenset({
    "quantity", "planned_quantity", "available_hours", "max_hours", "rate", "shelf_life_days",
    "min_remaining_shelf_life_days", "price", "margin", "net_weight", "changeover_hours",
})
# numeric fields that must not be negative
NON_NEGATIVE_FIELDS = frozenset({
    "quantity", "planned_quantity", "available_hours", "max_hours", "rate", "shelf_life_days",
    "min_remaining_shelf_life_days", "net_weight", "changeover_hours",
})
KEY_FIELDS = frozenset({"product", "market", "line"})


@dataclass(frozen=True)
class Kind:
    """One input kind: its required and optional fields and the fields that identify a row."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    # value field that a wide layout spreads over period columns (None: no wide layout)
    wide_value: str | None = None
    # summed (transactional) or unique (master data) on repeated keys
    additive: bool = False
    # the key that --merge replaces by
    merge_by: str = ""
    # merge replaces merge_by only in the periods the file covers (a delivery export extends history)
    merge_within_periods: bool = False
    # words in a sheet or file name that select this kind over a look-alike
    name_words: tuple[str, ...] = ()
    german: tuple[str, ...] = field(default=())

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("forecast", ("product", "market", "period", "quantity"),
         ("unit", "name"), keys=("product", "market", "period"), wide_value="quantity",
         additive=True, merge_by="market",
         german=("Absatzplan", "Absatzprognose", "Vertriebsplanung")),
    Kind("actuals", ("product", "market", "period", "quantity"),
         ("unit", "name"), keys=("product", "market", "period"), wide_value="quantity",
         additive=True, merge_by="market", merge_within_periods=True,
         name_words=("ist", "actual", "lieferung", "verkauf", "sales history"),
         german=("Ist-Absatz", "Lieferungen")),
    Kind("capacity", ("line", "period", "available_hours"), ("max_hours",),
         keys=("line", "period"), wide_value="available_hours", merge_by="line",
         german=("Kapazität", "Schichtplan", "Anlagenkapazität")),
    Kind("plan", ("product", "period", "planned_quantity"), ("line",),
         keys=("product", "period"), wide_value="planned_quantity", additive=True,
         merge_by="product",
         name_words=("produktionsplan", "fertigung", "plan", "production"),
         german=("Produktionsplan", "Fertigungsplan")),
    Kind("products", ("product", "line", "rate"),
         ("name", "product_group", "unit", "shelf_life_days", "min_remaining_shelf_life_days",
          "price", "margin", "net_weight", "changeover_hours"), keys=("product",), merge_by="product", german=("Artikelstamm",)),
    Kind("alternates", ("product", "line", "rate"), keys=("product", "line"),
         merge_by="product", name_words=("ausweich", "alternat"), german=("Ausweichlinien",)),
    Kind("markets", ("market", "priority_class"), ("name",), keys=("market",),
         merge_by="market", german=("Märkte", "Kundengruppen")),
)}

KIND_NAMES = tuple(KINDS)

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UNIT_SUFFIX = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*$")
_IGNORED = re.compile(r"[\s._\-/]+")


def fold_header(text: object) -> str:
    """Header text in matching form: lower case, umlauts folded, unit suffix and separators dropped."""
    if text is None:
        return ""
    s = str(text).strip().lower()
    s = _UNIT_SUFFIX.sub("", s)
    s = s.translate(UMLAUTS)
    return _IGNORED.sub("", s)


ALIAS_TO_FIELD: dict[str, str] = {}
for _field, _aliases in FIELD_ALIASES.items():
    for _alias in _aliases:
        ALIAS_TO_FIELD.setdefault(fold_header(_alias), _field)


_WEIGHT_RATE = re.compile(r"^(kg|kilo(gramm?)?)\s*(/|je|pro|per)\s*(h|std|stunde|hour)$")


def rate_unit(header: object) -> str | None:
    """'kg/h' where a rate header's unit bracket says kilograms per hour (`Leistung (kg/h)`),
    else None: the rate is in the article's units per hour (spec section 2)."""
    if header is None:
        return None
    match = re.search(r"[\(\[]([^\)\]]*)[\)\]]\s*$", str(header).strip())
    if not match:
        return None
    return "kg/h" if _WEIGHT_RATE.match(match.group(1).strip().lower()) else None


# a price given for a count of units, after the field's name: `Preis je 100 Stk`, `Price per 1000 pcs`
PER_COUNT = re.compile(r"(?:^|\s)(?:je|pro|per)\s*(?:100|1[.,']?000|tsd\.?)\s*"
                       r"(?:st(?:ü|ue)ck|stk|st|pcs|pieces|units|einheiten|me)?\.?\s*$", re.IGNORECASE)
# a weight that is not the net weight: `Gewicht (brutto)`, `Bruttogewicht`, `Gross weight`
_GROSS = re.compile(r"brutto|gross|tara|tare", re.IGNORECASE)


def field_for_header(text: object) -> str | None:
    """The contract field a header names, or None."""
    field = ALIAS_TO_FIELD.get(fold_header(text))
    if field is None and text is not None:
        plain = PER_COUNT.sub("", _UNIT_SUFFIX.sub("", str(text).strip()))
        if ALIAS_TO_FIELD.get(fold_header(plain)) in ("price", "margin"):
            field = ALIAS_TO_FIELD[fold_header(plain)]
    if field == "net_weight" and _GROSS.search(str(text)):
        return None  # a gross weight is another figure; read as net weight it would be too heavy
    return field


# headers that name the line of an alternates sheet, where the sheet has no plain line column
ALTERNATE_ALIASES: dict[str, tuple[str, ...]] = {
    "line": ("ausweichlinie", "alternate line", "alternative line", "alternativlinie",
             "ausweichanlage", "alternate resource"),
}
ALTERNATE_ALIAS_TO_FIELD = {fold_header(a): f for f, aliases in ALTERNATE_ALIASES.items() for a in aliases}


def alternate_field_for_header(text: object) -> str | None:
    """The field an alternates-only header names (`Ausweichlinie`: the line), or None."""
    return ALTERNATE_ALIAS_TO_FIELD.get(fold_header(text))


PRIORITY_LETTERS = {"A": 1, "B": 2, "C": 3, "D": 4}
DEFAULT_PRIORITY_CLASS = 2
