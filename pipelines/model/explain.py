"""One paragraph per conflict, in German or English, rendered only from the model's figures."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.model.levers import (class_letter, fmt_number, fmt_period, fmt_units,
                              resolve_pmc)
from pipelines.text import format as fmt
from pipelines.text import render

if TYPE_CHECKING:
    from pipelines.model import Model


def _join(items: list[str], lang: str) -> str:
    """'A', 'A and B', 'A, B and C' (German: 'und')."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" und " if lang == "de" else " and ") + items[-1]


def explain(model: "Model", product: str, market: str, period: str, lang: str = "de") -> str:
    """Why a PMC-period falls short and what would close it, e.g. for the meeting's conflict list."""
    product, market, period = resolve_pmc(model, product, market, period)
    gap = model.query("select * from mart_gaps where product = ? and market = ? and period = ?",
                      [product, market, period]).iloc[0]
    levers = {lever: frame for lever, frame in
              model.levers(product, market, period, lang).groupby("lever", sort=False)}
    base = {"product": gap.get("product_display") or product, "market": market, "period": fmt_period(period, lang),
            "line": gap["line"], "demand": fmt_units(gap["demand"], lang),
            "supplied": fmt_units(gap["supplied"], lang), "cls": class_letter(gap["priority_class"]),
            "unit": fmt.unit_word(gap["unit"], lang)}
    sentences: list[str] = []
    unplanned = gap["reason"] in ("no_routing", "no_net_weight", "unit_mismatch")

    if gap["reason"] in ("no_net_weight", "unit_mismatch"):
        article = model.query("select unit from stg_products where product = ?", [product])
        article_unit = article["unit"].iloc[0] if not article.empty else None
        sentences.append(render(f"explain_{gap['reason']}", lang,
                                **{**base, "demand": fmt.quantity(gap["demand"], gap["unit"], lang)},
                                given=fmt.unit_label(gap["unit"], lang),
                                article_unit=fmt.unit_label(article_unit, lang)))
    elif gap["reason"] == "no_routing":
        sentences.append(render("explain_no_routing", lang, **base))
    elif gap["reason"] == "no_capacity":
        sentences.append(render("explain_no_capacity", lang, **base))
    else:
        load = model.query("select required_hours, available_hours from mart_load "
                           "where line = ? and period = ?", [gap["line"], period]).iloc[0]
        if gap["shortfall"] <= 0:
            sentences.append(render("explain_supplied", lang, **base))
            return " ".join(sentences)
        sentences.append(render("explain_load", lang, **base,
                                required=fmt_number(load["required_hours"], lang),
                                available=fmt_number(load["available_hours"], lang)))
        higher = model.query(
            "select priority_class, required_hours * share as served_hours from int_class_hours "
            "where line = ? and period = ? and priority_class < ? order by priority_class",
            [gap["line"], period, int(gap["priority_class"])])
        if higher.empty:
            sentences.append(render("explain_own_class", lang, **base,
                                    hours=fmt_number(load["available_hours"], lang)))
        else:
            letters = [class_letter(c) for c in higher["priority_class"]]
            sentences.append(render("explain_higher_classes", lang, **base,
                                    classes=_join(letters, lang),
                                    class_word="Klasse" if len(letters) == 1 else "Klassen",
                                    hours=fmt_number(higher["served_hours"].sum(), lang)))

    if not unplanned:
        sentences.append(levers["prebuild"].iloc[0]["note"])
        extra = levers["extra_hours"].iloc[0]
        if extra["status"] == "beyond_max":
            sentences.append(render("explain_extra_hours_max", lang,
                                    hours=fmt_number(extra["hours_needed"], lang),
                                    headroom=fmt_number(extra["headroom_hours"], lang)))
        else:
            sentences.append(render("explain_extra_hours", lang,
                                    hours=fmt_number(extra["hours_needed"], lang)))
    other = levers["other_line"]
    other = other[other["closes_units"] > 0]
    if not other.empty:
        best = other.sort_values("closes_units", ascending=False).iloc[0]
        sentences.append(render("explain_other_line", lang, line=best["line"],
                                units=fmt_units(best["closes_units"], lang), unit=base["unit"]))
    return " ".join(sentences)
