#!/usr/bin/env python3
"""Generate the demo company of Einklang: Molkerei Alpenhof GmbH (Kempten, Allgäu).

Deterministic (fixed seed). Run:  /work/venv/bin/python data/sample/generate.py
It rewrites every file beside it (xlsx, csv, expected.json, next_cycle/).

The numbers are built first (master data, capacity, a "true demand" per product-market
and week, forecast cycles, actuals, plan); the files are then written as the ERP would
export them, with the noise of real exports; expected.json is computed from the
numbers, never read back from the files.
"""
from __future__ import annotations

import datetime as dt
import re
import io
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.styles import Font
from xlsxwriter.utility import xl_rowcol_to_cell

OUT = Path(__file__).resolve().parent
NEXT = OUT / "next_cycle"
SEED = 20261128
COMPANY = "Molkerei Alpenhof GmbH"
FIXED_TS = dt.datetime(2026, 11, 27, 17, 45, 0)

# --------------------------------------------------------------------------------------
# calendar
# --------------------------------------------------------------------------------------


def wk(y: int, w: int) -> tuple[int, int]:
    dt.date.fromisocalendar(y, w, 1)  # validates
    return (y, w)


def weeks_from(start: tuple[int, int], n: int) -> list[tuple[int, int]]:
    d = dt.date.fromisocalendar(start[0], start[1], 1)
    out = []
    for i in range(n):
        iso = (d + dt.timedelta(weeks=i)).isocalendar()
        out.append((iso[0], iso[1]))
    return out


def weeks_between(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[int, int]]:
    da = dt.date.fromisocalendar(a[0], a[1], 1)
    db = dt.date.fromisocalendar(b[0], b[1], 1)
    return weeks_from(a, (db - da).days // 7 + 1)


def iso(t: tuple[int, int]) -> str:
    return f"{t[0]}-W{t[1]:02d}"


def kw_slash(t):  # "KW 49/2026"
    return f"KW {t[1]:02d}/{t[0]}"


def kw_dot(t):  # "KW 5.2027" (older ERP release)
    return f"KW {t[1]}.{t[0]}"


def monday(t) -> dt.date:
    return dt.date.fromisocalendar(t[0], t[1], 1)


# --------------------------------------------------------------------------------------
# master data
# --------------------------------------------------------------------------------------

LINES = {
    # line: (description, normal hours, normal max hours)
    "JOG-1": ("Joghurtlinie (Becherfüller, 3 Schichten)", 120, 144),
    "MILCH-1": ("Milchabfüllung (Karton/Flasche, 3 Schichten)", 120, 144),
    "BUT-1": ("Butterei (Butterfertiger + Packmaschine, 2 Schichten)", 80, 96),
    "KAS-1": ("Käserei (Fertiger, Presse, Schneid-/Reibanlage, 2 Schichten)", 80, 96),
    "EIS-1": ("Eislinie (Freezer + Becherfüller; Winter 1, Sommer 2 Schichten)", 80, 120),
}
GROUP_LINE = {"Joghurt": "JOG-1", "Frischmilch": "MILCH-1", "Butter": "BUT-1",
              "Käse": "KAS-1", "Speiseeis": "EIS-1"}
GROUPS = list(GROUP_LINE)

MARKETS = [  # market, name, class (in the master)
    ("LEH", "Lebensmitteleinzelhandel (Edeka, Rewe)", "A"),
    ("Discount", "Discounter (Aldi Süd, Lidl, Netto)", "B"),
    ("Großverbraucher", "Foodservice: Gastronomie, Kantinen, Bäckereien", "B"),
    ("Export NL", "Export Niederlande (Albert Heijn, Jumbo)", "B"),
    ("Handelsmarke", "Handelsmarken / Private Label", "C"),
]
NEW_MARKET = "Export AT"  # new customer: in the forecast, not in the markets master
MARKET_ORDER = [m[0] for m in MARKETS] + [NEW_MARKET]
CLASS_NUM = {"A": 1, "B": 2, "C": 3}
MARKET_CLASS = {m: CLASS_NUM[c] for m, _, c in MARKETS}
DEFAULT_CLASS = 2

# Discount sales plans are systematically optimistic (the accuracy story)
BIAS = {"Discount": 1.15}

# id (as the ERP writes it), name, group, unit, rate, shelf, min_rest, price, margin,
# season profile, weight (share of the line's normal hours), market split
P = [
    # --- Joghurt & Desserts (JOG-1)
    ("100201", "Naturjoghurt 3,5 % 500 g", "Joghurt", "Becher", 3000, 28, 14, 0.89, 0.19, "jog", 10,
     {"LEH": .45, "Discount": .25, "Großverbraucher": .15, "Export NL": .05, "Handelsmarke": .10}),
    ("100202", "Naturjoghurt 1,5 % 500 g", "Joghurt", "Becher", 3000, 28, 14, 0.85, 0.17, "jog", 7,
     {"LEH": .35, "Discount": .25, "Handelsmarke": .40}),
    ("100203", "Fruchtjoghurt Erdbeere 150 g", "Joghurt", "Becher", 6000, 28, 14, 0.39, 0.09, "jog", 12,
     {"LEH": .40, "Discount": .30, "Export NL": .10, "Handelsmarke": .20}),
    ("100204", "Fruchtjoghurt Kirsche 150 g", "Joghurt", "Becher", 6000, 28, 14, 0.39, 0.09, "jog", 8,
     {"LEH": .45, "Discount": .30, "Handelsmarke": .25}),
    ("100205", "Fruchtjoghurt Pfirsich-Maracuja 150 g", "Joghurt", "Becher", 6000, 28, 14, 0.39, 0.09, "jog", 6,
     {"LEH": .50, "Discount": .30, "Export NL": .20}),
    ("100206", "Joghurt griechische Art 10 % 400 g", "Joghurt", "Becher", 3200, 28, 14, 1.29, 0.34, "jog", 6,
     {"LEH": .60, "Großverbraucher": .25, "Export NL": .15}),
    ("100207", "Skyr Natur 450 g", "Joghurt", "Becher", 3200, 35, 14, 1.19, 0.31, "jog", 6,
     {"LEH": .70, "Export NL": .30}),
    ("000123", "Bio-Joghurt mild 150 g", "Joghurt", "Becher", 6000, 28, 14, 0.49, 0.12, "jog", 5,
     {"LEH": .80, "Export NL": .20}),
    ("100208", "Sahnejoghurt Vanille 150 g", "Joghurt", "Becher", 6000, 28, 14, 0.45, 0.11, "jog", 5,
     {"LEH": .50, "Discount": .50}),
    ("100211", "Vanillepudding 125 g", "Joghurt", "Becher", 7000, 21, 10, 0.35, 0.08, "dessert", 8,
     {"LEH": .40, "Discount": .40, "Handelsmarke": .20}),
    ("100212", "Schokoladenpudding 125 g", "Joghurt", "Becher", 7000, 21, 10, 0.35, 0.08, "dessert", 7,
     {"LEH": .40, "Discount": .40, "Handelsmarke": .20}),
    ("100213", "Milchreis Zimt 200 g", "Joghurt", "Becher", 5000, 28, 14, 0.59, 0.14, "dessert", 6,
     {"LEH": .50, "Discount": .30, "Großverbraucher": .20}),
    ("100214", "Grießpudding Himbeere 200 g", "Joghurt", "Becher", 5000, 21, 10, 0.55, 0.13, "dessert", 4,
     {"LEH": .60, "Großverbraucher": .40}),
    ("100215", "Mousse au Chocolat 90 g", "Joghurt", "Becher", 6000, 28, 14, 0.69, 0.20, "dessert", 4,
     {"LEH": .60, "Großverbraucher": .40}),
    # --- Frischmilch & Sahne (MILCH-1)
    ("100101", "Frische Vollmilch 3,5 % 1 l", "Frischmilch", "Stk", 6000, 10, 5, 1.05, 0.08, "milk", 18,
     {"LEH": .40, "Discount": .30, "Großverbraucher": .15, "Handelsmarke": .15}),
    ("100102", "Frische fettarme Milch 1,5 % 1 l", "Frischmilch", "Stk", 6000, 10, 5, 0.99, 0.07, "milk", 14,
     {"LEH": .35, "Discount": .35, "Handelsmarke": .30}),
    ("100103", "Allgäuer Heumilch 3,8 % 1 l", "Frischmilch", "Stk", 5500, 10, 5, 1.39, 0.21, "milk", 8,
     {"LEH": .80, "Export NL": .20}),
    ("100104", "ESL-Milch 3,5 % 1 l", "Frischmilch", "Stk", 6000, 21, 10, 1.09, 0.10, "milk", 12,
     {"LEH": .30, "Discount": .40, "Großverbraucher": .10, "Handelsmarke": .20}),
    ("100105", "Buttermilch 500 g", "Frischmilch", "Becher", 5000, 21, 10, 0.59, 0.12, "milk", 6,
     {"LEH": .60, "Discount": .40}),
    ("100106", "Kakao-Milchdrink 500 ml", "Frischmilch", "Stk", 5000, 21, 10, 0.89, 0.20, "milk", 6,
     {"LEH": .50, "Discount": .30, "Großverbraucher": .20}),
    ("100107", "Schlagsahne 30 % 200 g", "Frischmilch", "Becher", 5000, 28, 14, 0.99, 0.24, "cream", 9,
     {"LEH": .45, "Discount": .35, "Handelsmarke": .20}),
    ("100108", "Schlagsahne 32 % 1 l", "Frischmilch", "Stk", 3500, 28, 14, 3.79, 0.78, "cream", 6,
     {"Großverbraucher": .80, "Export NL": .20}),
    ("100109", "Kaffeesahne 10 % 200 g", "Frischmilch", "Stk", 5000, 120, 40, 0.79, 0.16, "milk", 4,
     {"LEH": .50, "Großverbraucher": .50}),
    # --- Butter (BUT-1)
    ("100301", "Deutsche Markenbutter 250 g", "Butter", "Stk", 3600, 90, 30, 2.09, 0.31, "butter", 22,
     {"LEH": .35, "Discount": .30, "Großverbraucher": .05, "Export NL": .10, "Handelsmarke": .20}),
    ("100302", "Süßrahmbutter 250 g", "Butter", "Stk", 3600, 90, 30, 1.99, 0.27, "butter", 14,
     {"LEH": .30, "Discount": .40, "Handelsmarke": .30}),
    ("100303", "Allgäuer Sauerrahmbutter 250 g", "Butter", "Stk", 3600, 90, 30, 2.29, 0.42, "butter", 10,
     {"LEH": .60, "Großverbraucher": .20, "Export NL": .20}),
    ("100304", "Butter streichzart 250 g", "Butter", "Stk", 3000, 90, 30, 2.19, 0.38, "butter", 8,
     {"LEH": .60, "Discount": .40}),
    ("100305", "Kräuterbutter 125 g", "Butter", "Stk", 2400, 60, 20, 1.29, 0.36, "butter", 5,
     {"LEH": .60, "Großverbraucher": .40}),
    ("100306", "Bio-Butter 250 g", "Butter", "Stk", 3000, 90, 30, 2.79, 0.55, "butter", 6,
     {"LEH": .80, "Export NL": .20}),
    ("100307", "Butterschmalz 500 g", "Butter", "Stk", 1500, 270, 90, 4.49, 0.95, "butter", 6,
     {"LEH": .50, "Discount": .50}),
    ("100308", "Backbutter 1 kg Block", "Butter", "kg", 1200, 90, 30, 7.49, 0.98, "butter", 8,
     {"Großverbraucher": .60, "Handelsmarke": .40}),
    ("000815", "Heumilch-Butter 250 g", "Butter", "Stk", 3000, 90, 30, 2.59, 0.49, "butter", 5,
     {"LEH": .70, "Export NL": .30}),
    # --- Käse (KAS-1)
    ("100401", "Allgäuer Emmentaler g.U.", "Käse", "kg", 350, 180, 60, 9.80, 2.10, "cheese", 20,
     {"LEH": .35, "Discount": .25, "Großverbraucher": .10, "Export NL": .20, "Handelsmarke": .10}),
    ("100402", "Allgäuer Bergkäse g.U.", "Käse", "kg", 300, 180, 60, 13.90, 3.40, "cheese", 16,
     {"LEH": .45, "Discount": .20, "Großverbraucher": .10, "Export NL": .25}),
    ("004711", "Alpenhof Bergkäse 12 Monate", "Käse", "kg", 250, 180, 60, 18.50, 5.20, "cheese", 6,
     {"LEH": .70, "Export NL": .30}),
    ("100403", "Butterkäse", "Käse", "kg", 400, 90, 30, 7.90, 1.60, "cheese", 12,
     {"LEH": .40, "Discount": .40, "Handelsmarke": .20}),
    ("100404", "Tilsiter", "Käse", "kg", 380, 120, 40, 8.60, 1.85, "cheese", 8,
     {"LEH": .50, "Großverbraucher": .20, "Export NL": .30}),
    ("100405", "Allgäuer Weißlacker", "Käse", "kg", 300, 90, 30, 10.40, 2.60, "cheese", 4,
     {"LEH": .70, "Export NL": .30}),
    ("100406", "Camembert 125 g", "Käse", "Stk", 2000, 42, 21, 1.39, 0.35, "cheese", 8,
     {"LEH": .50, "Discount": .50}),
    ("100407", "Emmentaler gerieben 200 g", "Käse", "Stk", 2500, 90, 30, 1.69, 0.38, "cheese", 8,
     {"LEH": .30, "Discount": .40, "Handelsmarke": .30}),
    ("100408", "Raclettekäse Scheiben 400 g", "Käse", "Stk", 900, 90, 30, 3.99, 1.05, "raclette", 4,
     {"LEH": .60, "Discount": .40}),
    ("100409", "Frischkäse Natur 200 g", "Käse", "Becher", 3000, 45, 20, 0.99, 0.24, "cheese", 8,
     {"LEH": .40, "Discount": .40, "Großverbraucher": .20}),
    # --- Speiseeis (EIS-1)
    ("100501", "Bourbon-Vanilleeis 1 l", "Speiseeis", "Becher", 2500, 540, 180, 2.49, 0.72, "eis", 16,
     {"LEH": .40, "Discount": .35, "Handelsmarke": .25}),
    ("100502", "Schokoladeneis 1 l", "Speiseeis", "Becher", 2500, 540, 180, 2.49, 0.70, "eis", 10,
     {"LEH": .45, "Discount": .35, "Handelsmarke": .20}),
    ("100503", "Erdbeereis 1 l", "Speiseeis", "Becher", 2500, 540, 180, 2.49, 0.70, "eis", 10,
     {"LEH": .50, "Discount": .50}),
    ("100504", "Stracciatellaeis 1 l", "Speiseeis", "Becher", 2500, 540, 180, 2.59, 0.74, "eis", 8,
     {"LEH": .60, "Discount": .40}),
    ("100505", "Joghurteis Waldbeere 500 ml", "Speiseeis", "Becher", 3000, 540, 180, 2.29, 0.69, "eis", 6,
     {"LEH": .70, "Export NL": .30}),
    ("100506", "Eis am Stiel Vanille-Schoko 6er", "Speiseeis", "Stk", 1200, 540, 180, 2.99, 0.85, "eis", 8,
     {"LEH": .40, "Discount": .40, "Handelsmarke": .20}),
    ("100507", "Vanilleeis 5 l Gastro", "Speiseeis", "Stk", 400, 540, 180, 9.90, 2.40, "eis", 6,
     {"Großverbraucher": 1.0}),
    ("100508", "Weihnachtsparfait Mandel 500 ml", "Speiseeis", "Becher", 2000, 540, 180, 3.49, 1.10, "parfait", 2,
     {"LEH": .70, "Großverbraucher": .30}),
]

NEW_PRODUCT = ("100899", "Skyr Heidelbeere 450 g (NEU)", "Joghurt", "Becher")  # not in the master

ALTERNATES = [  # product, line, rate (lower than on the main line)
    ("100107", "JOG-1", 3500),
    ("100105", "JOG-1", 2500),
    ("100305", "JOG-1", 1500),
    ("100409", "JOG-1", 2200),
]


def norm(pid: str) -> str:
    """Spec section 1 normal form of a product key."""
    return pid.lstrip("0") or "0" if pid.isdigit() else pid


# changeover hours per production run (spec 5.1): a sort change on the cheese line means cleaning
# the fertiliser and press, one run per article with demand in a week
CHANGEOVER = {"KAS-1": 0.5}
KG_PER_LITRE = {"Speiseeis": 0.55}  # ice cream is whipped: about half a kilogram per litre


def net_weight(name: str, group: str, unit: str) -> float | None:
    """Kilograms per sales unit, from the pack size in the article name (None for kg articles)."""
    if unit == "kg":
        return None
    if "6er" in name:
        return 0.45
    if m := re.search(r"(\d+(?:,\d+)?) (g|ml|l)\b", name):
        size = float(m[1].replace(",", "."))
        litre = {"g": None, "ml": 0.001, "l": 1.0}[m[2]]
        if litre is None:
            return round(size / 1000, 4)
        return round(size * litre * KG_PER_LITRE.get(group, 1.03), 4)
    return None


PRODUCTS = {}
for (pid, name, group, unit, rate, shelf, minrest, price, margin, season, weight, split) in P:
    PRODUCTS[pid] = dict(id=pid, key=norm(pid), name=name, group=group, unit=unit,
                         line=GROUP_LINE[group], rate=rate, shelf=shelf, minrest=minrest,
                         price=price, margin=margin, season=season, weight=weight, split=split,
                         net_weight=net_weight(name, group, unit),
                         changeover=CHANGEOVER.get(GROUP_LINE[group], 0.0) if unit == "kg" else 0.0)

# --------------------------------------------------------------------------------------
# capacity
# --------------------------------------------------------------------------------------

CAP_WEEKS = weeks_between((2026, 49), (2027, 52))
MAINT = ("KAS-1", (2027, 2), 32, 40, "Revision Käsefertiger Mo–Do, nur Frühschicht")


def eis_summer(t) -> bool:
    return 10 <= t[1] <= 39


def capacity(line: str, t) -> tuple[float, float, str]:
    desc, h, mx = LINES[line]
    note = ""
    if line == "EIS-1":
        if eis_summer(t):
            h, mx, note = 80, 120, "Saison: 2 Schichten"
        else:
            h, mx, note = 40, 80, "Winter: 1 Schicht"
    if (line, t) == (MAINT[0], MAINT[1]):
        h, mx, note = MAINT[2], MAINT[3], MAINT[4]
    return float(h), float(mx), note


CAP = {(l, t): capacity(l, t)[:2] for l in LINES for t in CAP_WEEKS}

# --------------------------------------------------------------------------------------
# seasonality (factor on a product's normal weekly volume)
# --------------------------------------------------------------------------------------

BUTTER = {47: 1.05, 48: 1.10, 49: 1.15, 50: 1.40, 51: 1.50, 52: 1.40, 53: 0.85, 1: 0.90, 2: 0.95,
          12: 1.08, 13: 1.08}
EIS = {24: 1.42, 25: 1.50, 26: 1.52, 27: 1.58, 28: 1.62, 29: 1.60, 30: 1.55, 31: 1.50, 32: 1.42,
       33: 1.12, 34: 1.08, 35: 1.02}
PARFAIT = {44: 0.5, 45: 1.0, 46: 1.0, 47: 1.2, 48: 1.5, 49: 2.0, 50: 2.6, 51: 2.6, 52: 1.0}


def season(profile: str, t) -> float:
    y, w = t
    if profile == "jog":
        return 1 + 0.06 * math.cos(2 * math.pi * (w - 28) / 52)
    if profile == "dessert":
        return {50: 1.25, 51: 1.35, 52: 1.25}.get(w, 1.0 - 0.04 * math.cos(2 * math.pi * (w - 2) / 52))
    if profile == "milk":
        return 0.95 if 29 <= w <= 33 else 1.0
    if profile == "cream":
        return {50: 1.45, 51: 1.85, 52: 1.60, 13: 1.15}.get(w, 0.95)
    if profile == "butter":
        return BUTTER.get(w, 1.0)
    if profile == "cheese":
        return 0.96 if 27 <= w <= 34 else 1.0
    if profile == "raclette":
        return {51: 2.0, 52: 2.8, 53: 3.2, 1: 0.8}.get(w, 0.9 if not 22 <= w <= 36 else 0.5)
    if profile == "eis":
        if not eis_summer(t):
            return 0.48
        if w in EIS:
            return EIS[w]
        if w <= 13:
            return 0.88
        if w <= 17:
            return 0.95
        if w <= 23:
            return 1.05
        return 0.95  # 36-39
    if profile == "parfait":
        return PARFAIT.get(w, 0.0)
    raise ValueError(profile)


TARGET_UTIL = 0.78


def base_units() -> dict[tuple[str, str], float]:
    """Normal weekly volume per PMC (before bias), from the line's target hours."""
    out = {}
    for line in LINES:
        prods = [p for p in PRODUCTS.values() if p["line"] == line]
        wsum = sum(p["weight"] for p in prods)
        hours = TARGET_UTIL * LINES[line][1]
        for p in prods:
            units = hours * p["weight"] / wsum * p["rate"]
            for m, s in p["split"].items():
                out[(p["id"], m)] = units * s
    return out


BASE = base_units()

# --------------------------------------------------------------------------------------
# forecast cycles and actuals
# --------------------------------------------------------------------------------------

CYCLES = {
    # name: (as-of, first week, weeks, file)
    "KW22": (dt.date(2026, 5, 29), (2026, 23), 52, "Absatzplanung_KW22_2026.xlsx"),
    "KW44": (dt.date(2026, 10, 30), (2026, 45), 52, "Absatzplanung_KW44_2026.xlsx"),
    "KW48": (dt.date(2026, 11, 27), (2026, 49), 52, "Absatzplanung_KW48_2026.xlsx"),
    "KW52": (dt.date(2026, 12, 23), (2026, 52), 52, "next_cycle/Absatzplanung_KW52_2026.xlsx"),
}
ACT_WEEKS = weeks_between((2026, 22), (2026, 47))
ACT_NEXT_WEEKS = weeks_between((2026, 48), (2026, 51))

AT_START = (2026, 50)
AT_PMCS = {"100301": 0.06, "100402": 0.08, "004711": 0.10, "100203": 0.05}  # share of product base
AT_START_YOG = (2027, 1)
DISC_SKYR_START = (2027, 1)
NEW_PRODUCT_START = (2027, 5)
HM_LOST_FROM = (2027, 1)
NL_CHEESE_UP_FROM = (2027, 1)
NL_CHEESE = ("100401", "100402", "004711")
PROMO_BUTTER = {(2026, 50): 0.70, (2026, 51): 0.70}  # LEH promotion on 100301: +70 %
ICE_PROMO_OLD = [(2027, 30), (2027, 31)]  # Discount 100501 summer promotion, last cycle
ICE_PROMO_NEW = [(2027, 26), (2027, 27)]  # ... moved two...four weeks earlier in this cycle
ICE_PROMO = 0.60


def truth(pid: str, m: str, t) -> float:
    """Expected demand of a PMC in a week, before planners' bias and noise."""
    p = PRODUCTS[pid]
    return BASE.get((pid, m), 0.0) * season(p["season"], t)


def rnd_qty(pid: str, v: float) -> float:
    return float(max(0, round(v)))


def pmcs_base():
    return sorted(BASE)


def make_cycles(rng: random.Random):
    fc: dict[str, dict[tuple[str, str, tuple[int, int]], float]] = {}
    raw44 = {}
    # --- KW22 (older cycle): wide noise
    c = {}
    for (pid, m) in pmcs_base():
        for t in weeks_from(CYCLES["KW22"][1], CYCLES["KW22"][2]):
            v = truth(pid, m, t) * BIAS.get(m, 1.0) * (1 + rng.uniform(-0.12, 0.12))
            c[(pid, m, t)] = rnd_qty(pid, v)
    fc["KW22"] = c
    # --- KW44 (last meeting)
    c = {}
    w44 = weeks_from(CYCLES["KW44"][1], CYCLES["KW44"][2])
    for (pid, m) in pmcs_base():
        for t in w44:
            v = truth(pid, m, t) * BIAS.get(m, 1.0) * (1 + rng.uniform(-0.05, 0.05))
            if pid == "100501" and m == "Discount" and t in ICE_PROMO_OLD:
                v *= 1 + ICE_PROMO
            raw44[(pid, m, t)] = v
            c[(pid, m, t)] = rnd_qty(pid, v)
    fc["KW44"] = c
    # --- KW48 (this meeting): last cycle +-2 %, plus the planted changes
    c = {}
    w48 = weeks_from(CYCLES["KW48"][1], CYCLES["KW48"][2])
    for (pid, m) in pmcs_base():
        for t in w48:
            if (pid, m, t) in raw44:
                v = raw44[(pid, m, t)]
                if pid == "100501" and m == "Discount" and t in ICE_PROMO_OLD:
                    v /= 1 + ICE_PROMO
                v *= 1 + rng.uniform(-0.02, 0.02)
            else:
                v = truth(pid, m, t) * BIAS.get(m, 1.0) * (1 + rng.uniform(-0.05, 0.05))
            if pid == "100501" and m == "Discount" and t in ICE_PROMO_NEW:
                v *= 1 + ICE_PROMO
            if pid == "100301" and m == "LEH" and t in PROMO_BUTTER:
                v *= 1 + PROMO_BUTTER[t]
            if pid == "100202" and m == "Handelsmarke" and t >= HM_LOST_FROM:
                v = 0.0
            if pid in NL_CHEESE and m == "Export NL" and t >= NL_CHEESE_UP_FROM:
                v *= 1.20
            c[(pid, m, t)] = rnd_qty(pid, v)
        # nothing else
    for t in w48:
        for pid, share in AT_PMCS.items():
            start = AT_START_YOG if PRODUCTS[pid]["group"] == "Joghurt" else AT_START
            base = sum(BASE.get((pid, m), 0) for m in MARKET_ORDER)
            v = base * share * season(PRODUCTS[pid]["season"], t) * (1 + rng.uniform(-0.05, 0.05))
            c[(pid, NEW_MARKET, t)] = rnd_qty(pid, v) if t >= start else 0.0
        skyr = BASE[("100207", "LEH")]
        v = skyr * 0.4 * season("jog", t) * (1 + rng.uniform(-0.05, 0.05))
        c[("100207", "Discount", t)] = rnd_qty("100207", v) if t >= DISC_SKYR_START else 0.0
        v = skyr * 0.5 * season("jog", t) * (1 + rng.uniform(-0.05, 0.05))
        c[(NEW_PRODUCT[0], "LEH", t)] = float(round(v)) if t >= NEW_PRODUCT_START else 0.0
    fc["KW48"] = c
    return fc


def make_kw52(fc48, rng: random.Random):
    """Next meeting (23.12.2026): this cycle's numbers, the butter agreement, and a grown cheese conflict."""
    w52 = weeks_from(CYCLES["KW52"][1], CYCLES["KW52"][2])
    c = {}
    keys = sorted({(p, m) for (p, m, t) in fc48}, key=lambda k: (k[0], MARKET_ORDER.index(k[1])))
    for (pid, m) in keys:
        for t in w52:
            if (pid, m, t) in fc48:
                c[(pid, m, t)] = fc48[(pid, m, t)]
            else:  # the three new weeks 2027-W48..W50
                if pid == NEW_PRODUCT[0]:
                    v = BASE[("100207", "LEH")] * 0.5 * season("jog", t)
                elif m == NEW_MARKET:
                    start_share = AT_PMCS[pid]
                    base = sum(BASE.get((pid, mm), 0) for mm in MARKET_ORDER)
                    v = base * start_share * season(PRODUCTS[pid]["season"], t)
                elif (pid, m) == ("100207", "Discount"):
                    v = BASE[("100207", "LEH")] * 0.4 * season("jog", t)
                elif (pid, m) == ("100202", "Handelsmarke"):
                    v = 0.0
                else:
                    v = truth(pid, m, t) * BIAS.get(m, 1.0)
                    if pid in NL_CHEESE and m == "Export NL":
                        v *= 1.2
                v *= 1 + rng.uniform(-0.05, 0.05)
                c[(pid, m, t)] = float(round(v))
    # (1) agreement held: BUT-1 in 2026-W52 brought to 96 % of 80 h by moving the non-LEH
    #     butter volume of W52 half into 2026-W53 and half into 2027-W01
    t52, t53, t01 = (2026, 52), (2026, 53), (2027, 1)
    req = sum(v / PRODUCTS[p]["rate"] for (p, m, t), v in c.items()
              if t == t52 and p in PRODUCTS and PRODUCTS[p]["line"] == "BUT-1")
    target = 0.96 * CAP[("BUT-1", t52)][0]
    movable = sum(v / PRODUCTS[p]["rate"] for (p, m, t), v in c.items()
                  if t == t52 and p in PRODUCTS and PRODUCTS[p]["line"] == "BUT-1" and m != "LEH")
    f = 1 - (req - target) / movable
    moved = {}
    for (p, m, t), v in list(c.items()):
        if t == t52 and p in PRODUCTS and PRODUCTS[p]["line"] == "BUT-1" and m != "LEH" and v > 0:
            nv = float(math.floor(v * f))
            c[(p, m, t)] = nv
            d = v - nv
            half = float(math.floor(d / 2))
            c[(p, m, t53)] += half
            c[(p, m, t01)] += d - half
            moved[(p, m)] = d
    # (2) conflict grew: Export NL Bergkäse promotion in the KAS-1 maintenance week 2027-W02
    c[("100402", "Export NL", (2027, 2))] = float(round(c[("100402", "Export NL", (2027, 2))] * 2.2))
    return c, moved


def make_actuals(weeks, rng: random.Random, next_cycle=False):
    act = {}
    for (pid, m) in pmcs_base():
        for t in weeks:
            v = truth(pid, m, t)
            if next_cycle:
                if pid == "100301" and m == "LEH" and t in PROMO_BUTTER:
                    v *= 1 + PROMO_BUTTER[t]
                if PRODUCTS[pid]["line"] == "BUT-1" and t in ((2026, 50), (2026, 51)):
                    v *= 0.88  # the butter line delivered what it could
            v *= 1 + rng.gauss(0, 0.07)
            v = max(0.0, v)
            act[(pid, m, t)] = round(v, 1) if PRODUCTS[pid]["unit"] == "kg" else float(round(v))
    if next_cycle:
        for t in weeks:
            for pid, share in AT_PMCS.items():
                if t < AT_START or PRODUCTS[pid]["group"] == "Joghurt":
                    continue
                base = sum(BASE.get((pid, m), 0) for m in MARKET_ORDER)
                v = base * share * season(PRODUCTS[pid]["season"], t) * (1 + rng.gauss(0, 0.1))
                act[(pid, NEW_MARKET, t)] = round(v, 1) if PRODUCTS[pid]["unit"] == "kg" else float(round(v))
    return act


# --------------------------------------------------------------------------------------
# model (spec section 5) for expected.json
# --------------------------------------------------------------------------------------


def mclass(m: str) -> int:
    return MARKET_CLASS.get(m, DEFAULT_CLASS)


def required_hours(fc, weeks):
    """Run hours plus one changeover per article with demand in the week (spec 5.1)."""
    R = defaultdict(float)
    runs = set()
    for (p, m, t), v in fc.items():
        if p in PRODUCTS and t in weeks:
            R[(PRODUCTS[p]["line"], t)] += v / PRODUCTS[p]["rate"]
            if v > 0:
                runs.add((p, t))
    for p, t in runs:
        R[(PRODUCTS[p]["line"], t)] += PRODUCTS[p]["changeover"]
    return R


def allocate(fc, line, t):
    """Spec 5.3/5.4 for one line-period: per PMC demand, required hours, served hours, supplied."""
    H = CAP[(line, t)][0]
    rows = []
    for (p, m, tt), v in fc.items():
        if tt == t and p in PRODUCTS and PRODUCTS[p]["line"] == line and v > 0:
            rows.append(dict(product=PRODUCTS[p]["key"], market=m, cls=mclass(m), demand=v,
                             rate=PRODUCTS[p]["rate"], req=v / PRODUCTS[p]["rate"],
                             changeover=PRODUCTS[p]["changeover"]))
    # the changeover of an article is needed by its most important class with demand, shared by
    # that class's PMCs in proportion to their demand (spec 5.1)
    for key in {r["product"] for r in rows}:
        mine = [r for r in rows if r["product"] == key]
        top = [r for r in mine if r["cls"] == min(x["cls"] for x in mine)]
        total = sum(r["demand"] for r in top)
        for r in top:
            r["req"] += r["changeover"] * r["demand"] / total
    left = H
    classes = []
    for c in sorted({r["cls"] for r in rows}):
        rs = [r for r in rows if r["cls"] == c]
        need = sum(r["req"] for r in rs)
        if need <= left + 1e-12:
            for r in rs:
                r["served"] = r["req"]
            served = need
        elif left > 0:
            for r in rs:
                r["served"] = left * r["req"] / need
            served = left
        else:
            for r in rs:
                r["served"] = 0.0
            served = 0.0
        left -= served
        classes.append({"class": c, "required_hours": round(need, 4), "served_hours": round(served, 4),
                        "demand": round(sum(r["demand"] for r in rs), 4),
                        "supplied": round(sum(r["demand"] * r["served"] / r["req"] for r in rs), 4)})
    for r in rows:
        r["supplied"] = r["demand"] * r["served"] / r["req"]
        r["shortfall"] = r["demand"] - r["supplied"]
    R = sum(r["req"] for r in rows)
    return dict(line=line, period=iso(t), available_hours=H, max_hours=CAP[(line, t)][1],
                required_hours=round(R, 4), utilisation=round(R / H, 4) if H else None,
                shortfall_units=round(sum(r["shortfall"] for r in rows), 4),
                classes=classes,
                pmcs=[{"product": r["product"], "market": r["market"], "class": r["cls"],
                       "demand": r["demand"], "required_hours": round(r["req"], 4),
                       "served_hours": round(r["served"], 4), "supplied": round(r["supplied"], 4),
                       "shortfall": round(r["shortfall"], 4) + 0.0}
                      for r in sorted(rows, key=lambda r: (r["cls"], r["product"], r["market"]))])


# --------------------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------------------

def german(v: float, decimals: int = 0) -> str:
    s = f"{v:,.{decimals}f}"
    return s.replace(",", "X").replace(".", ",").replace("X", ".")


def write_forecast(path: Path, fc, cycle: str, label_fn, title_lines, text_cells=None,
                   dash_pmcs=(), hidden_pmcs=(), weeks=None):
    """Wide Absatzplan as the ERP exports it."""
    text_cells = text_cells or {}
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": "Absatzplanung", "author": "SAP BW Export", "company": COMPANY,
                       "created": FIXED_TS})
    ws = wb.add_worksheet("Absatzplan")
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    hdr = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    num = wb.add_format({"num_format": "#,##0"})
    num1 = wb.add_format({"num_format": "#,##0.0"})
    sub = wb.add_format({"bold": True, "num_format": "#,##0", "bg_color": "#F2F2F2"})
    subt = wb.add_format({"bold": True, "bg_color": "#F2F2F2"})
    tot = wb.add_format({"bold": True, "num_format": "#,##0", "top": 2})
    tott = wb.add_format({"bold": True, "top": 2})
    txt = wb.add_format({"align": "right"})

    r = 0
    for i, line in enumerate(title_lines):
        ws.write_string(r, 0, line, title if i == 0 else bold)
        r += 1
    r += 1  # empty row
    hdr_row = r
    heads = ["Artikel-Nr.", "Artikelbezeichnung", "Vertriebsweg", "Einheit"]
    for c, h in enumerate(heads):
        ws.write_string(hdr_row, c, h, hdr)
    # period columns: 2026 block | empty column | 2027 block | empty column | Summe
    col = len(heads) + 1  # one empty column after the key block
    week_col = {}
    prev_year = None
    for t in weeks:
        if prev_year is not None and t[0] != prev_year:
            col += 1
        week_col[t] = col
        ws.write_string(hdr_row, col, label_fn(t), hdr)
        col += 1
        prev_year = t[0]
    sum_col = col + 1
    ws.write_string(hdr_row, sum_col, "Summe", hdr)
    ws.set_column(0, 0, 11)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 3, 8)
    ws.set_column(4, sum_col, 11)
    ws.freeze_panes(hdr_row + 1, 4)

    pmcs = sorted({(p, m) for (p, m, t) in fc},
                  key=lambda k: (GROUPS.index(group_of(k[0])), order_of(k[0]), MARKET_ORDER.index(k[1])))
    r = hdr_row + 1
    grand = defaultdict(float)
    for g in GROUPS:
        gsum = defaultdict(float)
        for (pid, m) in [k for k in pmcs if group_of(k[0]) == g]:
            name, unit = info_of(pid)
            if pid.isdigit() and not pid.startswith("0"):
                ws.write_number(r, 0, int(pid))
            else:
                ws.write_string(r, 0, pid)
            ws.write_string(r, 1, name)
            ws.write_string(r, 2, m)
            ws.write_string(r, 3, unit)
            rowsum = 0.0
            for t in weeks:
                v = fc.get((pid, m, t), 0.0)
                rowsum += v
                gsum[t] += v
                grand[t] += v
                c = week_col[t]
                if (pid, m, t) in text_cells:
                    ws.write_string(r, c, text_cells[(pid, m, t)], txt)
                elif v == 0:
                    if (pid, m) in dash_pmcs:
                        ws.write_string(r, c, "-", txt)
                    # else: left empty
                else:
                    ws.write_number(r, c, v, num if v == int(v) else num1)
            ws.write_number(r, sum_col, rowsum, num if rowsum == int(rowsum) else num1)
            if (pid, m) in hidden_pmcs:
                ws.set_row(r, None, None, {"hidden": True})
            r += 1
        ws.write_string(r, 0, f"Summe {g}", subt)
        for c in range(1, 4):
            ws.write_blank(r, c, None, subt)
        for t in weeks:
            ws.write_number(r, week_col[t], gsum[t], sub)
        ws.write_number(r, sum_col, sum(gsum.values()), sub)
        r += 1
    ws.write_string(r, 0, "Gesamtsumme", tott)
    for t in weeks:
        ws.write_number(r, week_col[t], grand[t], tot)
    ws.write_number(r, sum_col, sum(grand.values()), tot)
    wb.close()
    return hdr_row, week_col


def group_of(pid):
    return PRODUCTS[pid]["group"] if pid in PRODUCTS else NEW_PRODUCT[2]


def order_of(pid):
    ids = [p[0] for p in P]
    return ids.index(pid) + 0.5 if pid in ids else ids.index("000123") + 0.7  # new Skyr after Bio-Joghurt


def info_of(pid):
    if pid in PRODUCTS:
        return PRODUCTS[pid]["name"], PRODUCTS[pid]["unit"]
    return NEW_PRODUCT[1], NEW_PRODUCT[3]


def write_stammdaten(path: Path):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"title": "Stammdaten", "author": "SAP MM Export", "company": COMPANY,
                       "created": FIXED_TS})
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 16})
    hdr = wb.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1})
    eur = wb.add_format({"num_format": "#,##0.00 €"})
    # cover sheet
    ws = wb.add_worksheet("Deckblatt")
    ws.write_string(1, 1, f"Stammdaten {COMPANY}", title)
    ws.write_string(3, 1, "Werk Kempten (Allgäu)")
    ws.write_string(4, 1, "Stand:")
    ws.write_datetime(4, 2, dt.datetime(2026, 11, 27), wb.add_format({"num_format": "dd.mm.yyyy"}))
    ws.write_string(6, 1, "Inhalt: Artikelstamm, Ausweichlinien, Märkte", bold)
    ws.write_string(7, 1, "Vertraulich – nur für den internen Gebrauch")
    ws.set_column(1, 1, 45)
    # Artikelstamm
    # articles sold by the kilogram are rated in kg/h, on a sheet of their own (one rate unit a column)
    for sheet, rate_head, products in (
            ("Artikelstamm", "Leistung (Stk/h)", [p for p in PRODUCTS.values() if p["unit"] != "kg"]),
            ("Artikelstamm kg", "Leistung (kg/h)", [p for p in PRODUCTS.values() if p["unit"] == "kg"])):
        ws = wb.add_worksheet(sheet)
        heads = ["Artikelnummer", "Bezeichnung", "Warengruppe", "Einheit", "Linie", rate_head,
                 "MHD (Tage)", "Mindestrestlaufzeit (Tage)", "Verkaufspreis (EUR)",
                 "Deckungsbeitrag (EUR)", "Nettogewicht (kg)", "Rüstzeit (h)"]
        for c, h in enumerate(heads):
            ws.write_string(0, c, h, hdr)
        for r, p in enumerate(products, start=1):
            ws.write_number(r, 0, int(p["id"]))  # the master holds numbers: 000123 -> 123
            ws.write_string(r, 1, p["name"])
            ws.write_string(r, 2, p["group"])
            ws.write_string(r, 3, p["unit"])
            ws.write_string(r, 4, p["line"])
            ws.write_number(r, 5, p["rate"])
            ws.write_number(r, 6, p["shelf"])
            ws.write_number(r, 7, p["minrest"])
            ws.write_number(r, 8, p["price"], eur)
            ws.write_number(r, 9, p["margin"], eur)
            if p["net_weight"] is not None:
                ws.write_number(r, 10, p["net_weight"])
            if p["changeover"]:
                ws.write_number(r, 11, p["changeover"])
        ws.set_column(0, 0, 14)
        ws.set_column(1, 1, 36)
        ws.set_column(2, 8, 14)
        ws.set_column(9, 9, 14, None, {"hidden": True})  # controlling hides the margin column
        ws.set_column(10, 11, 14)
        ws.autofilter(0, 0, len(products), len(heads) - 1)
        ws.freeze_panes(1, 0)
    # Ausweichlinien
    ws = wb.add_worksheet("Ausweichlinien")
    for c, h in enumerate(["Artikelnummer", "Linie", "Leistung (Stk/h)"]):
        ws.write_string(0, c, h, hdr)
    for r, (pid, line, rate) in enumerate(ALTERNATES, start=1):
        ws.write_number(r, 0, int(pid))
        ws.write_string(r, 1, line)
        ws.write_number(r, 2, rate)
    ws.set_column(0, 2, 16)
    # Märkte
    ws = wb.add_worksheet("Märkte")
    for c, h in enumerate(["Markt", "Bezeichnung", "Priorität"]):
        ws.write_string(0, c, h, hdr)
    for r, (m, name, cls) in enumerate(MARKETS, start=1):
        ws.write_string(r, 0, m)
        ws.write_string(r, 1, name)
        ws.write_string(r, 2, cls)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 48)
    wb.close()


def write_capacity_openpyxl(path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kapazität"
    ws["A1"] = "Kapazitätsplanung 2027 – Molkerei Alpenhof GmbH, Werk Kempten"
    ws["A1"].font = Font(bold=True, size=14)
    heads = ["Linie", "KW", "Verfügbare Stunden", "Max. Stunden", "Bemerkung"]
    for c, h in enumerate(heads, start=1):
        ws.cell(row=2, column=c, value=h).font = Font(bold=True)
    r = 3
    for line in LINES:
        for t in CAP_WEEKS:
            h, mx, note = capacity(line, t)
            ws.cell(row=r, column=1, value=line)
            ws.cell(row=r, column=2, value=iso(t))
            ws.cell(row=r, column=3, value=int(h))
            ws.cell(row=r, column=4, value=int(mx))
            if note and (t == CAP_WEEKS[0] or note != capacity(line, prev_week(t))[2]):
                ws.cell(row=r, column=5, value=note)
            r += 1
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 11
    ws.column_dimensions["C"].width = 20
    ws.column_dimensions["D"].width = 14
    ws.column_dimensions["E"].width = 48
    ws.freeze_panes = "A3"
    notes = wb.create_sheet("Hinweise")
    lines = [
        "Hinweise zur Kapazitätsplanung",
        "Verfügbare Stunden = Schichtmodell laut Betriebsvereinbarung, abzüglich Reinigung (CIP).",
        "Max. Stunden = mit Samstagsschicht bzw. dritter Schicht (Zustimmung Betriebsrat nötig).",
        "JOG-1 Joghurtlinie und MILCH-1 Abfüllung laufen 3-schichtig, BUT-1 und KAS-1 2-schichtig.",
        "EIS-1 Eislinie: Winter (KW 40 bis KW 09) 1 Schicht, Saison (KW 10 bis KW 39) 2 Schichten.",
        "KAS-1: Revision des Käsefertigers in KW 02/2027, Montag bis Donnerstag.",
        "Feiertage werden durchproduziert (Milchannahme täglich).",
        "Ansprechpartner: Produktionsplanung, Hr. Berchtold, Durchwahl 214",
    ]
    for i, s in enumerate(lines, start=1):
        notes.cell(row=i, column=1, value=s)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 100
    wb.properties.creator = "Produktionsplanung"
    wb.properties.created = FIXED_TS
    wb.properties.modified = FIXED_TS
    wb.save(path)


def prev_week(t):
    d = monday(t) - dt.timedelta(weeks=1)
    i = d.isocalendar()
    return (i[0], i[1])


def write_plan(path: Path, plan, weeks):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"title": "Produktionsplan", "author": "APS Export", "company": COMPANY,
                       "created": FIXED_TS})
    ws = wb.add_worksheet("Produktionsplan")
    hdr = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    num = wb.add_format({"num_format": "#,##0"})
    ws.write_string(0, 0, f"Produktionsplan {COMPANY} – Planungsstand 27.11.2026",
                    wb.add_format({"bold": True, "font_size": 13}))
    ws.write_string(1, 0, "Mengen in Verkaufseinheiten (Stk / Becher / kg)")
    heads = ["Artikel-Nr.", "Linie"] + [iso(t) for t in weeks]
    for c, h in enumerate(heads):
        ws.write_string(3, c, h, hdr)
    r = 4
    for p in PRODUCTS.values():
        ws.write_string(r, 0, p["id"])  # the APS exports article numbers as text
        ws.write_string(r, 1, p["line"])
        for c, t in enumerate(weeks, start=2):
            v = plan.get((p["id"], t), 0)
            if v:
                ws.write_number(r, c, v, num)
        r += 1
    ws.set_column(0, 1, 12)
    ws.set_column(2, 1 + len(weeks), 10)
    ws.freeze_panes(4, 2)
    wb.close()


def write_actuals_csv(path: Path, act, rng: random.Random):
    """Ist-Absatz from the ERP: ';', cp1252, decimal comma, some rows at customer level."""
    buf = io.StringIO()
    buf.write("Artikel;Kundengruppe;Kalenderwoche;Menge\r\n")
    n = 0
    keys = sorted(act, key=lambda k: (k[2], int(k[0]), MARKET_ORDER.index(k[1])))
    for (pid, m, t) in keys:
        v = act[(pid, m, t)]
        if v == 0:
            continue
        kg = PRODUCTS[pid]["unit"] == "kg"
        scale = 10 if kg else 1
        iv = int(round(v * scale))
        parts = [iv]
        # customer-level rows (Edeka / Rewe, Aldi / Lidl ...) for part of LEH and Discount
        if m in ("LEH", "Discount") and rng.random() < 0.3 and iv >= 20:
            k = rng.choice((2, 3))
            cuts = sorted(rng.sample(range(1, iv), k - 1))
            parts = [b - a for a, b in zip([0] + cuts, cuts + [iv])]
        for part in parts:
            mk = m + (" " if rng.random() < 0.04 else "")  # fixed-width padding from the ERP
            qty = german(part / 10, 1).replace(".", "") if kg else str(part)
            buf.write(f"{pid};{mk};{kw_slash(t)};{qty}\r\n")
            n += 1
    path.write_bytes(buf.getvalue().encode("cp1252"))
    return n


def libreoffice_resave(src: Path, outdir: Path) -> bool:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return False
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home)
        profile = Path(home, "lo_profile").as_uri()
        with tempfile.TemporaryDirectory() as out:
            try:
                subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                                "--convert-to", "xlsx", "--outdir", out, str(src)],
                               env=env, check=True, capture_output=True, timeout=180)
            except (subprocess.SubprocessError, OSError) as e:
                print(f"note: LibreOffice re-save failed ({e}); keeping the openpyxl file")
                return False
            res = Path(out) / src.name
            if not res.exists():
                print("note: LibreOffice produced no file; keeping the openpyxl file")
                return False
            shutil.copyfile(res, outdir / src.name)
    return True


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------

def main() -> int:
    rng = random.Random(SEED)
    fc = make_cycles(rng)
    fc48 = fc["KW48"]

    # planted text numbers in this cycle's file (German format; the 1.234-ambiguous ones are
    # decided by the unambiguous ones beside them). The underlying number is set to the text's value.
    text_cells = {}
    for (pid, m, t, val, text) in [
        ("100401", "LEH", (2027, 3), None, "dec"),
        ("100404", "Großverbraucher", (2027, 10), 980.0, "980,0"),
        ("100402", "Export NL", (2027, 20), None, "dec"),
    ]:
        if val is None:
            val = math.floor(fc48[(pid, m, t)]) + 0.5
            text = german(val, 1)
        fc48[(pid, m, t)] = val
        text_cells[(pid, m, t)] = text
    for (pid, m, t) in [("100401", "LEH", (2026, 49)), ("100403", "LEH", (2027, 8)),
                        ("100301", "LEH", (2027, 14)), ("100101", "LEH", (2027, 22))]:
        v = fc48[(pid, m, t)]
        assert v >= 1000 and v == int(v)
        text_cells[(pid, m, t)] = german(v, 0)  # "1.250"-style

    w48 = weeks_from(CYCLES["KW48"][1], 52)
    R48 = required_hours(fc48, w48)

    # ---- planted-situation checks (the generator refuses to write a demo that lies)
    over = {}
    for (l, t), r in sorted(R48.items()):
        u = r / CAP[(l, t)][0]
        planted_peak = (l == "BUT-1" and t in [(2026, 50), (2026, 51), (2026, 52)]) or \
                       (l == "EIS-1" and (2027, 24) <= t <= (2027, 32))
        if (l, t) == (MAINT[0], MAINT[1]):
            assert u > 1.5, (l, t, u)
            over[(l, t)] = u
        elif planted_peak:
            assert 1.10 <= u <= 1.40, (l, t, u)
            over[(l, t)] = u
        else:
            assert 0.65 <= u <= 0.96, (l, t, round(u, 3))

    fc52, moved = make_kw52(fc48, rng)
    w52 = weeks_from(CYCLES["KW52"][1], 52)
    R52 = required_hours(fc52, w52)
    for (l, t), r in sorted(R52.items()):
        u = r / CAP[(l, t)][0]
        if (l, t) == ("BUT-1", (2026, 52)):
            assert u <= 1.0, u
        elif (l, t) == (MAINT[0], MAINT[1]):
            assert u > R48[(l, t)] / CAP[(l, t)][0]
        elif l == "EIS-1" and (2027, 24) <= t <= (2027, 32):
            assert u > 1.0
        elif l == "BUT-1" and t >= (2027, 48):
            pass  # next Christmas peak (2027) already shows at the end of the horizon
        else:
            assert u <= 0.96, (l, t, u)

    act = make_actuals(ACT_WEEKS, rng)
    act_next = make_actuals(ACT_NEXT_WEEKS, rng, next_cycle=True)

    # ---- production plan 2026-W49 .. 2027-W09 (14 weeks: 2026 has a week 53)
    plan_weeks = weeks_between((2026, 49), (2027, 9))
    plan = {}
    plan_hours = defaultdict(float)
    prebuild = {("BUT-1", (2026, 49)): None, ("KAS-1", (2027, 1)): None}
    for l in LINES:
        for t in plan_weeks:
            H, MX = CAP[(l, t)]
            R = R48[(l, t)]
            if l == "BUT-1" and t in [(2026, 50), (2026, 51), (2026, 52)]:
                f = MX / R  # Saturday shifts planned, still short of the peak
            elif (l, t) in prebuild:
                f = H / R  # pre-build into the free hours
            else:
                f = min(1.0, H / R)
            for p in PRODUCTS.values():
                if p["line"] != l:
                    continue
                d = sum(v for (pp, m, tt), v in fc48.items() if pp == p["id"] and tt == t)
                step = 10 if p["unit"] == "kg" else 100
                q = math.floor(d * f / step) * step
                if q:
                    plan[(p["id"], t)] = q
                    plan_hours[(l, t)] += q / p["rate"]

    # ---- write files
    NEXT.mkdir(exist_ok=True)
    hidden = {("100202", "Handelsmarke")}
    write_forecast(OUT / CYCLES["KW48"][3], fc48, "KW48", kw_slash,
                   [f"Absatzplanung {COMPANY}", "Stand: 27.11.2026",
                    "Planungshorizont KW 49/2026 – KW 47/2027, Mengen in Verkaufseinheiten"],
                   text_cells=text_cells, dash_pmcs=hidden, hidden_pmcs=hidden, weeks=w48)
    write_forecast(OUT / CYCLES["KW44"][3], fc["KW44"], "KW44", kw_slash,
                   [f"Absatzplanung {COMPANY}", "Stand: 30.10.2026"],
                   weeks=weeks_from(CYCLES["KW44"][1], 52))
    write_forecast(OUT / CYCLES["KW22"][3], fc["KW22"], "KW22", kw_dot,
                   [f"Absatzplanung {COMPANY}", "Stand: 29.05.2026"],
                   weeks=weeks_from(CYCLES["KW22"][1], 52))
    write_forecast(OUT / CYCLES["KW52"][3], fc52, "KW52", kw_slash,
                   [f"Absatzplanung {COMPANY}", "Stand: 23.12.2026",
                    "Planungshorizont KW 52/2026 – KW 50/2027 (inkl. laufender Woche)"],
                   dash_pmcs=hidden, weeks=w52)
    write_stammdaten(OUT / "Stammdaten.xlsx")
    write_plan(OUT / "Produktionsplan_KW49-KW09.xlsx", plan, plan_weeks)
    rng_csv = random.Random(SEED + 1)
    n_csv = write_actuals_csv(OUT / "Ist_Absatz_KW22-KW47_2026.csv", act, rng_csv)
    n_csv_next = write_actuals_csv(NEXT / "Ist_Absatz_KW48-KW51_2026.csv", act_next, rng_csv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "Kapazitaet_2027.xlsx"
        write_capacity_openpyxl(src)
        if libreoffice_resave(src, OUT):
            cap_writer = "LibreOffice Calc (re-saved from openpyxl)"
        else:
            print("note: soffice not available; Kapazitaet_2027.xlsx written by openpyxl only")
            shutil.copyfile(src, OUT / "Kapazitaet_2027.xlsx")
            cap_writer = "openpyxl"

    # ---- expected.json
    exp = build_expected(fc, fc48, fc52, moved, act, act_next, R48, R52, w48, w52, plan,
                         plan_hours, plan_weeks, text_cells, n_csv, n_csv_next, cap_writer)
    (OUT / "expected.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    for f in sorted(OUT.rglob("*")):
        if f.is_file() and f.suffix in (".xlsx", ".csv", ".json"):
            print(f"{f.relative_to(OUT)}: {f.stat().st_size:,} bytes")
    print("overloads KW48:", {f"{l} {iso(t)}": round(u, 3) for (l, t), u in sorted(over.items())})
    return 0


def fc_key(k):
    p, m, t = k
    return (PRODUCTS[p]["key"] if p in PRODUCTS else p, m, iso(t))


def total(d, pred=lambda k: True):
    return round(sum(v for k, v in d.items() if pred(k)), 4)


def build_expected(fc, fc48, fc52, moved, act, act_next, R48, R52, w48, w52, plan, plan_hours,
                   plan_weeks, text_cells, n_csv, n_csv_next, cap_writer):
    keyp = lambda pid: PRODUCTS[pid]["key"] if pid in PRODUCTS else pid  # noqa: E731
    nz = lambda d: {k: v for k, v in d.items() if v != 0}  # noqa: E731

    def cycle_facts(name, d, weeks):
        pm = {(p, m) for (p, m, t) in d}
        return dict(file=CYCLES[name][3], as_of=CYCLES[name][0].isoformat(),
                    first_period=iso(weeks[0]), last_period=iso(weeks[-1]), periods=len(weeks),
                    pmcs=len(pm), products=len({p for p, _ in pm}), markets=sorted({m for _, m in pm}),
                    total_quantity=total(d), nonzero_cells=len(nz(d)),
                    rows_in_file=len(pm), subtotal_rows=len(GROUPS), totals_rows=1)

    util = lambda R, l, t: round(R[(l, t)] / CAP[(l, t)][0], 4)  # noqa: E731
    overloaded = [dict(line=l, period=iso(t), required_hours=round(R48[(l, t)], 4),
                       available_hours=CAP[(l, t)][0], max_hours=CAP[(l, t)][1],
                       utilisation=util(R48, l, t))
                  for (l, t) in sorted(R48) if R48[(l, t)] > CAP[(l, t)][0]]

    # accuracy (spec 6): for each closed week the latest version whose as-of is before its Monday
    versions = sorted([(CYCLES[c][0], c) for c in ("KW22", "KW44", "KW48")])
    acc_m = defaultdict(lambda: [0.0, 0.0, 0.0])
    acc_pmc = defaultdict(lambda: [0.0, 0.0, 0.0])
    used = defaultdict(list)
    for (p, m, t), a in act.items():
        vs = [c for (d, c) in versions if d < monday(t)]
        if not vs:
            continue
        c = vs[-1]
        used[c].append(iso(t))
        f = fc[c].get((p, m, t), 0.0)
        # a market adds its articles in kg (every article of the look-back weighs, spec 5
        # "Units"); a PMC stays in its own unit
        kg = 1.0 if PRODUCTS[p]["unit"] == "kg" else PRODUCTS[p]["net_weight"]
        for acc, w in ((acc_m[m], kg), (acc_pmc[(p, m)], 1.0)):
            acc[0] += abs(f - a) * w
            acc[1] += (f - a) * w
            acc[2] += a * w
    acc_markets = {m: dict(wape=round(x[0] / x[2], 4), bias=round(x[1] / x[2], 4)) for m, x in acc_m.items()}
    sample_pmcs = [("100301", "Discount"), ("100301", "LEH"), ("100501", "Discount"), ("100101", "LEH")]
    acc_sample = [dict(product=keyp(p), market=m, wape=round(acc_pmc[(p, m)][0] / acc_pmc[(p, m)][2], 4),
                       bias=round(acc_pmc[(p, m)][1] / acc_pmc[(p, m)][2], 4)) for p, m in sample_pmcs]

    # version change KW44 -> KW48 over the common weeks
    common = [t for t in w48 if t in set(weeks_from(CYCLES["KW44"][1], 52))]

    def delta(pred):
        a = sum(v for (p, m, t), v in fc48.items() if t in common and pred(p, m, t))
        b = sum(v for (p, m, t), v in fc["KW44"].items() if t in common and pred(p, m, t))
        return dict(kw48=round(a, 4), kw44=round(b, 4), change=round(a - b, 4))

    changes = [
        dict(what="LEH-Aktion Deutsche Markenbutter 250 g (+70 %)", product="100301", market="LEH",
             periods=["2026-W50", "2026-W51"],
             **delta(lambda p, m, t: p == "100301" and m == "LEH" and t in PROMO_BUTTER)),
        dict(what="Kunde verloren: Handelsmarke Naturjoghurt 1,5 % ab 2027-W01 (Zeile ausgeblendet, '-')",
             product="100202", market="Handelsmarke", periods=[iso(t) for t in common if t >= HM_LOST_FROM],
             **delta(lambda p, m, t: p == "100202" and m == "Handelsmarke" and t >= HM_LOST_FROM)),
        dict(what="Discount-Sommeraktion Vanilleeis verschoben von 2027-W30/W31 nach 2027-W26/W27",
             product="100501", market="Discount", periods=[iso(t) for t in ICE_PROMO_NEW + ICE_PROMO_OLD],
             by_period={iso(t): delta(lambda p, m, tt, t=t: p == "100501" and m == "Discount" and tt == t)
                        for t in ICE_PROMO_NEW + ICE_PROMO_OLD}),
        dict(what="Export NL Käse +20 % ab 2027-W01", products=[keyp(p) for p in NL_CHEESE], market="Export NL",
             **delta(lambda p, m, t: p in NL_CHEESE and m == "Export NL" and t >= NL_CHEESE_UP_FROM)),
        dict(what="Neukunde Export AT (nicht im Marktstamm)", market=NEW_MARKET,
             products=[keyp(p) for p in AT_PMCS], first_period=iso(AT_START),
             **delta(lambda p, m, t: m == NEW_MARKET)),
        dict(what="Neue Listung Skyr Natur bei Discount ab 2027-W01 (neue PMC)", product="100207",
             market="Discount", **delta(lambda p, m, t: p == "100207" and m == "Discount")),
        dict(what="Neuer Artikel Skyr Heidelbeere 450 g (nicht im Artikelstamm) ab 2027-W05",
             product=NEW_PRODUCT[0], market="LEH", **delta(lambda p, m, t: p == NEW_PRODUCT[0])),
    ]

    conflicts = [allocate(fc48, "BUT-1", (2026, 50)), allocate(fc48, "BUT-1", (2026, 51)),
                 allocate(fc48, "KAS-1", (2027, 2)), allocate(fc48, "EIS-1", (2027, 28))]

    k_weeks = lambda p: (p["shelf"] - p["minrest"]) // 7  # noqa: E731
    return {
        "_doc": "Facts computed by data/sample/generate.py from the generated numbers (not from the files). "
                "Quantities in sales units; hours = quantity / rate of the main line. See README.md.",
        "company": COMPANY, "today": "2026-11-28", "meeting": "KW 48/2026",
        "counts": dict(products_master=len(PRODUCTS), product_groups=len(GROUPS), lines=len(LINES),
                       markets_master=len(MARKETS), markets_in_forecast=len(MARKET_ORDER),
                       alternates=len(ALTERNATES)),
        "lines": {l: dict(name=LINES[l][0], normal_hours=LINES[l][1], normal_max_hours=LINES[l][2])
                  for l in LINES},
        "markets": {m: {"class_letter": c, "class": CLASS_NUM[c]} for m, _, c in MARKETS},
        "new_market": dict(market=NEW_MARKET, default_class=DEFAULT_CLASS, first_period=iso(AT_START),
                           products=[keyp(p) for p in AT_PMCS]),
        "new_product": dict(product=NEW_PRODUCT[0], name=NEW_PRODUCT[1], market="LEH",
                            first_period=iso(NEW_PRODUCT_START),
                            unrouted_demand_kw48=total(fc48, lambda k: k[0] == NEW_PRODUCT[0])),
        "leading_zero_products": {p: norm(p) for p in PRODUCTS if p.startswith("0")},
        "shelf_life": {keyp(p["id"]): dict(shelf_life_days=p["shelf"], min_remaining_days=p["minrest"],
                                           prebuild_weeks=k_weeks(p)) for p in PRODUCTS.values()},
        "alternates": [dict(product=keyp(p), line=l, rate=r, main_line=PRODUCTS[p]["line"],
                            main_rate=PRODUCTS[p]["rate"]) for p, l, r in ALTERNATES],
        "forecast": {"KW48": cycle_facts("KW48", fc48, w48),
                     "KW44": cycle_facts("KW44", fc["KW44"], weeks_from(CYCLES["KW44"][1], 52)),
                     "KW22": cycle_facts("KW22", fc["KW22"], weeks_from(CYCLES["KW22"][1], 52)),
                     "KW52_next_cycle": cycle_facts("KW52", fc52, w52)},
        "forecast_kw48_hidden_rows": [dict(product="100202", market="Handelsmarke")],
        "forecast_kw48_text_cells": [dict(product=keyp(p), market=m, period=iso(t), text=s, value=fc48[(p, m, t)])
                                     for (p, m, t), s in text_cells.items()],
        "forecast_kw48_pmc_totals_sample": {f"{keyp(p)}|{m}": total(fc48, lambda k, p=p, m=m: k[:2] == (p, m))
                                            for p, m in [("100301", "LEH"), ("000123", "LEH"), ("004711", "Export NL"),
                                                         ("100402", NEW_MARKET), ("100401", "LEH")]},
        "capacity": dict(file="Kapazitaet_2027.xlsx", writer=cap_writer, rows=len(CAP),
                         first_period=iso(CAP_WEEKS[0]), last_period=iso(CAP_WEEKS[-1]),
                         total_available_hours=round(sum(h for h, _ in CAP.values()), 4),
                         maintenance=dict(line=MAINT[0], period=iso(MAINT[1]), available_hours=MAINT[2],
                                          max_hours=MAINT[3], normal_hours=LINES[MAINT[0]][1]),
                         eis_winter_hours=40, eis_season_hours=80, eis_season="W10..W39"),
        "actuals": dict(file="Ist_Absatz_KW22-KW47_2026.csv", csv_lines=n_csv,
                        pmc_weeks=len(nz(act)), merged_rows=n_csv - len(nz(act)),
                        first_period="2026-W22", last_period="2026-W47", periods=26,
                        total_quantity=total(act), pmcs=len({(p, m) for (p, m, t) in nz(act)})),
        "actuals_next_cycle": dict(file="next_cycle/Ist_Absatz_KW48-KW51_2026.csv", csv_lines=n_csv_next,
                                   pmc_weeks=len(nz(act_next)), total_quantity=total(act_next),
                                   first_period="2026-W48", last_period="2026-W51"),
        "accuracy": dict(rule="per closed week the latest forecast version with as-of before the week's Monday",
                         versions_used={c: [min(v), max(v)] for c, v in used.items()},
                         weeks_without_version=["2026-W22"],
                         by_market=acc_markets, sample_pmcs=acc_sample,
                         story="Discount is planned about 15 % too high in every cycle (bias ~ +0.15)"),
        "utilisation_kw48": {l: {iso(t): util(R48, l, t) for t in w48} for l in LINES},
        "required_hours_kw48": {l: {iso(t): round(R48[(l, t)], 4) for t in w48} for l in LINES},
        "overloaded_kw48": overloaded,
        "conflicts_kw48": conflicts,
        "changes_kw44_to_kw48": dict(common_periods=[iso(common[0]), iso(common[-1])], planted=changes,
                                     total_kw44_common=total(fc["KW44"], lambda k: k[2] in common),
                                     total_kw48_common=total(fc48, lambda k: k[2] in common)),
        "plan": dict(file="Produktionsplan_KW49-KW09.xlsx", first_period=iso(plan_weeks[0]),
                     last_period=iso(plan_weeks[-1]), periods=len(plan_weeks), products=len(PRODUCTS),
                     total_planned=total(plan),
                     planned_hours={f"{l} {iso(t)}": round(plan_hours[(l, t)], 4)
                                    for l, t in [("BUT-1", (2026, 49)), ("BUT-1", (2026, 50)),
                                                 ("BUT-1", (2026, 51)), ("BUT-1", (2026, 52)),
                                                 ("KAS-1", (2027, 1)), ("KAS-1", (2027, 2))]},
                     story="follows the forecast; BUT-1 pre-builds in 2026-W49 and plans the max hours "
                           "(Saturday shifts) in W50-W52, still short of the peak; KAS-1 pre-builds in 2027-W01 "
                           "and plans only the 32 h of the maintenance week"),
        "next_cycle": dict(
            as_of=CYCLES["KW52"][0].isoformat(),
            agreement_held=dict(line="BUT-1", period="2026-W52",
                                utilisation_kw48=util(R48, "BUT-1", (2026, 52)),
                                utilisation_kw52=util(R52, "BUT-1", (2026, 52)),
                                shortfall_kw48=allocate(fc48, "BUT-1", (2026, 52))["shortfall_units"],
                                shortfall_kw52=allocate(fc52, "BUT-1", (2026, 52))["shortfall_units"],
                                how="non-LEH butter volume of W52 moved half to 2026-W53, half to 2027-W01",
                                moved_units={f"{keyp(p)}|{m}": v for (p, m), v in moved.items()}),
            conflict_grew=dict(line="KAS-1", period="2027-W02",
                               utilisation_kw48=util(R48, "KAS-1", (2027, 2)),
                               utilisation_kw52=util(R52, "KAS-1", (2027, 2)),
                               shortfall_kw48=allocate(fc48, "KAS-1", (2027, 2))["shortfall_units"],
                               shortfall_kw52=allocate(fc52, "KAS-1", (2027, 2))["shortfall_units"],
                               how="Export NL promotion on Allgäuer Bergkäse (100402) in the maintenance week"),
            overloaded_kw52=[dict(line=l, period=iso(t), utilisation=util(R52, l, t))
                             for (l, t) in sorted(R52) if R52[(l, t)] > CAP[(l, t)][0]],
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
