"""One paragraph per conflict, in German or English, rendered only from the model's figures."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pipelines.model.levers import (class_letter, fmt_number, fmt_period, fmt_units, pmc_params,
                                    resolve_pmc)
from pipelines.model.runner import sql_text
from pipelines.text import format as fmt
from pipelines.text import render

if TYPE_CHECKING:
    import pandas as pd

    from pipelines.model import Model


def _join(items: list[str], lang: str) -> str:
    """'A', 'A and B', 'A, B and C' (German: 'und')."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" und " if lang == "de" else " and ") + items[-1]


def explain(model: "Model", product: str, market: str, period: str, lang: str = "de") -> str:
    """Why a PMC-period falls short and what would close it, e.g. for the meeting's conflict list."""
    key = resolve_pmc(model, product, market, period)
    return model.explanations([key], lang)[key]


def conflict_explanations(model: "Model", keys: list[tuple[str, str, str]],
                          lang: str = "de") -> dict[tuple[str, str, str], str]:
    """The explanation of PMC-periods given by their stored keys (`Model.resolve`), from one query
    for all of them and their levers (`Model.levers_of`); `Model.explanations` keeps them."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    facts = model.query(sql_text("explain_facts"), pmc_params(keys))
    levers = model.levers_of(keys, lang)
    texts = {}
    for fact in facts.to_dict("records"):
        key = (fact["product"], fact["market"], fact["period"])
        texts[key] = _paragraph(fact, levers[key], lang)
    return texts


def _paragraph(gap: dict, lever_frame: "pd.DataFrame", lang: str) -> str:
    """The sentences of one conflict: why it is short, then what would close it."""
    levers = {lever: frame for lever, frame in lever_frame.groupby("lever", sort=False)}
    period = gap["period"]
    base = {"product": _text(gap.get("product_display")) or gap["product"], "market": gap["market"],
            "period": fmt_period(period, lang), "line": gap["line"],
            "demand": fmt_units(gap["demand"], lang), "supplied": fmt_units(gap["supplied"], lang),
            "cls": class_letter(gap["priority_class"]), "unit": fmt.unit_word(gap["unit"], lang)}
    sentences: list[str] = []
    unplanned = gap["reason"] in ("no_routing", "no_net_weight", "unit_mismatch")

    if gap["reason"] in ("no_net_weight", "unit_mismatch"):
        sentences.append(render(f"explain_{gap['reason']}", lang,
                                **{**base, "demand": fmt.quantity(gap["demand"], gap["unit"], lang)},
                                given=fmt.unit_label(gap["unit"], lang),
                                article_unit=fmt.unit_label(_text(gap["article_unit"]), lang)))
    elif gap["reason"] == "no_routing":
        sentences.append(render("explain_no_routing", lang, **base))
    elif gap["reason"] == "no_capacity":
        sentences.append(render("explain_no_capacity", lang, **base))
    else:
        if gap["shortfall"] <= 0:
            sentences.append(render("explain_supplied", lang, **base))
            return " ".join(sentences)
        sentences.append(render("explain_load", lang, **base,
                                required=fmt_number(gap["line_required_hours"], lang),
                                available=fmt_number(gap["line_available_hours"], lang)))
        higher = list(gap["higher_classes"])
        if not higher:
            sentences.append(render("explain_own_class", lang, **base,
                                    hours=fmt_number(gap["line_available_hours"], lang)))
        else:
            letters = [class_letter(c) for c in higher]
            sentences.append(render("explain_higher_classes", lang, **base,
                                    classes=_join(letters, lang),
                                    class_word="Klasse" if len(letters) == 1 else "Klassen",
                                    hours=fmt_number(sum(gap["higher_served_hours"]), lang)))

    if not unplanned:
        sentences.append(levers["prebuild"].iloc[0]["note"])
        extra = levers["extra_hours"].iloc[0]
        if extra["status"] == "beyond_max":
            sentences.append(render("explain_extra_hours_max", lang,
                                    hours=fmt_number(extra["hours_to_close"], lang),
                                    headroom=fmt_number(extra["headroom_hours"], lang)))
        else:
            sentences.append(render("explain_extra_hours", lang,
                                    hours=fmt_number(extra["hours_to_close"], lang)))
    other = levers["other_line"]
    other = other[other["closes_units"] > 0]
    if not other.empty:
        best = other.sort_values("closes_units", ascending=False).iloc[0]
        sentences.append(render("explain_other_line", lang, line=best["line"],
                                units=fmt_units(best["closes_units"], lang), unit=base["unit"]))
    return " ".join(sentences)


def _text(value: object) -> str | None:
    """A text value of a query row; None for SQL null (NaN in a pandas text column)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
