-- Macros shared by the models and the lever queries (temporary: they live on the model's cursor).

-- The common grain of a period: an ISO week belongs to the month holding its Thursday
-- (period_start + 3 days); a month's 1st + 3 days stays in the same month, so one rule serves both.
create or replace temp macro grain_start(period_start, grain) as
    case when grain = 'month' then date_trunc('month', period_start + 3)::date
         else period_start::date end;

create or replace temp macro grain_label(period, period_start, grain) as
    case when grain = 'month' then strftime(date_trunc('month', period_start + 3), '%Y-%m')
         else period end;

-- Spec section 5 step 3: the share of its required hours (or units) that one priority class gets,
-- given what the classes before it need and what is available. "Fits" allows a relative 1e-9 so
-- that an exact fit typed by hand is served in full (shortfall exactly 0) despite float sums.
create or replace temp macro alloc_share(need_before, need, available) as
    case when available is null or available <= 0 then 0.0
         when need <= 0 then 1.0
         when need_before + need <= available * (1 + 1e-9) + 1e-9 then 1.0
         when need_before >= available then 0.0
         else (available - need_before) / need end;

-- The strategic weight of a conflict (spec 5 "Units"): the line hours it misses per priority class,
-- so class A weighs 1, B 1/2, C 1/3. Hours compare across articles; pieces, cups and kilograms do
-- not. Null where the shortfall has no hours (not routed, or its quantity not convertible): such
-- conflicts rank first, as a block of their own (mart_top_conflicts, Model.conflicts).
create or replace temp macro conflict_weight(shortfall_hours, priority_class) as
    shortfall_hours / priority_class;

-- A scenario's changed PMC-period (scn_forecast.sql, scn_delta_forecast.sql) keeps the unit of
-- its staged row; one without a staged row (a new PMC) takes its article's unit, else Stk, and is
-- convertible, with the article's kg per unit.
create or replace temp macro scenario_unit(staged_unit, article_unit) as
    coalesce(staged_unit, article_unit, 'Stk');

create or replace temp macro scenario_convertible(staged_convertible) as
    coalesce(staged_convertible, true);

create or replace temp macro scenario_kg_per_unit(staged_kg_per_unit, article_kg_per_unit) as
    coalesce(staged_kg_per_unit, article_kg_per_unit);

-- Judging an agreement (spec section 6): held = no shortfall left (after rounding to 6 decimals,
-- the conflict rule of mart_gaps), partly = less than when it was made, not held = the same or more.
create or replace temp macro agreement_verdict(shortfall_before, shortfall_now) as
    case when round(shortfall_now, 6) <= 0 then 'held'
         when round(shortfall_now, 6) < round(shortfall_before, 6) then 'partly'
         else 'not_held' end;

-- The quantities of a store table of PMC rows (forecast, actuals) at a grain, one row per version,
-- PMC and period; markets compare case-insensitively and show as first written. Each row's unit as
-- given is converted into the article's unit (`unit_factor` against the product master the caller
-- staged as stg_products, and the spellings of stg_units), so two versions written in different
-- units compare in one (spec 5 "Units"); a row that cannot be converted keeps its quantity in the
-- unit given, as stg_forecast_units does. `unit` is the unit the quantity is in, `kg_per_unit` its
-- weight where known. Read by the staging models of the version change and the look-back.
create or replace temp macro pmc_quantities(source, grain) as table
    select
        rows.version_id,
        rows.product,
        min(rows.market) as market,
        grain_label(rows.period, rows.period_start, grain) as period,
        grain_start(rows.period_start, grain) as period_start,
        sum(rows.quantity * coalesce(unit_factor(products.product is not null, units.key, units.kg,
                                                 products.unit_key, products.unit_kind,
                                                 products.kg_per_unit), 1.0)) as quantity,
        min(case when unit_factor(products.product is not null, units.key, units.kg,
                                  products.unit_key, products.unit_kind, products.kg_per_unit) is null
                     then coalesce(units.display, products.unit)
                 else coalesce(products.unit, units.display, 'Stk') end) as unit,
        min(case when products.product is null
                          or unit_factor(true, units.key, units.kg, products.unit_key,
                                         products.unit_kind, products.kg_per_unit) is null
                     then units.kg
                 else products.kg_per_unit end) as kg_per_unit
    from query_table(source) as rows
    left join stg_units as units on units.unit = nullif(trim(rows.unit), '')
    left join stg_products as products on products.product = rows.product
    group by rows.version_id, rows.product, lower(rows.market),
        grain_label(rows.period, rows.period_start, grain), grain_start(rows.period_start, grain);

-- The factor from a unit as given (its key and kg, null: none given) into the article's unit
-- (spec 5 "Units"): 1 for an article the master does not know (counted in the unit given), for no
-- unit or the article's own, and for pieces of an article kept in cups or cartons (one piece is one
-- unit); a weight through the net weight; null where it cannot be converted (a weight for an
-- article without net weight, a unit that is neither the article's nor a weight).
create or replace temp macro unit_factor(known_product, given_key, given_kg, article_key,
                                         article_kind, article_kg) as
    case when not known_product then 1.0
         when given_key is null or given_key = article_key then 1.0
         when given_key = 'stk' and article_kind = 'other' then 1.0
         when given_kg is not null and article_kg > 0 then given_kg / article_kg end;

-- Units (spec section 5 "Units"), computed once per spelling in `stg_units`: a unit's key is its
-- folded name, every name of pieces is 'stk' and no unit means pieces; a weight has a factor to
-- kilograms. The macros take columns, never each other's results: DuckDB expands a macro inline,
-- so nesting them multiplies the expression (and its cost) many times over.
create or replace temp macro unit_key(unit) as
    case when regexp_replace(lower(coalesce(unit, '')), '[.\s]', '', 'g') in
              ('', 'stk', 'st', 'stck', 'stueck', 'stück', 'pcs', 'pc', 'pce', 'piece', 'pieces', 'ea',
               'each') then 'stk'
         else regexp_replace(lower(unit), '[.\s]', '', 'g') end;

create or replace temp macro key_kg(key) as
    (case key
        when 'kg' then 1.0 when 'kgm' then 1.0 when 'kilogramm' then 1.0 when 'kilogram' then 1.0
        when 'kilo' then 1.0 when 'g' then 0.001 when 'gr' then 0.001 when 'gramm' then 0.001
        when 'gram' then 0.001 when 't' then 1000.0 when 'to' then 1000.0 when 'tonne' then 1000.0
        when 'tonnen' then 1000.0 end)::double;

-- 'weight', 'piece' or 'other' (cups, cartons, ... counted in their own unit)
create or replace temp macro key_kind(key, kg) as
    case when kg is not null then 'weight' when key = 'stk' then 'piece' else 'other' end;

-- A unit as shown: every name of pieces is 'Stk' (the text catalogue says 'pcs' in English),
-- weights in their short form, any other unit (Becher, Karton) as the master writes it.
create or replace temp macro key_display(key, kg, unit) as
    case when key = 'stk' then 'Stk' when kg = 1 then 'kg' when kg = 0.001 then 'g'
         when kg = 1000 then 't' else trim(unit) end;

-- The one rule for a quantity added up over rows of several articles (spec 5 "Units"), as
-- aggregates over rows with `unit` (as shown) and `kg_per_unit` (mart_gaps): in kg where every
-- row has a weight, in their unit where all rows share one (pieces, or one article), else no
-- total at all (then only hours and money are shown).
create or replace temp macro qty_weighable(kg_per_unit) as
    count(*) > 0 and count(*) = count(kg_per_unit);

create or replace temp macro qty_one_unit(unit) as
    count(*) > 0 and count(distinct lower(unit)) = 1;

create or replace temp macro qty_total_basis(unit, kg_per_unit) as
    case when qty_weighable(kg_per_unit) then 'weight'
         when qty_one_unit(unit) then 'unit' end;

create or replace temp macro qty_total(quantity, unit, kg_per_unit) as
    case when qty_weighable(kg_per_unit) then sum(quantity * kg_per_unit)
         when qty_one_unit(unit) then sum(quantity) end;

create or replace temp macro qty_total_unit(unit, kg_per_unit) as
    case when qty_weighable(kg_per_unit) then 'kg'
         when qty_one_unit(unit) then min(unit) end;
