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

-- Judging an agreement (spec section 6): held = no shortfall left (after rounding to 6 decimals,
-- the conflict rule of mart_gaps), partly = less than when it was made, not held = the same or more.
create or replace temp macro agreement_verdict(shortfall_before, shortfall_now) as
    case when round(shortfall_now, 6) <= 0 then 'held'
         when round(shortfall_now, 6) < round(shortfall_before, 6) then 'partly'
         else 'not_held' end;

-- The quantities of a store table of PMC rows (forecast, actuals) at a grain, one row per version,
-- PMC and period; markets compare case-insensitively and show as first written. Read by the
-- staging models of the version change and the look-back.
create or replace temp macro pmc_quantities(source, grain) as table
    select
        version_id,
        product,
        min(market) as market,
        grain_label(period, period_start, grain) as period,
        grain_start(period_start, grain) as period_start,
        sum(quantity) as quantity
    from query_table(source)
    group by version_id, product, lower(market), grain_label(period, period_start, grain),
        grain_start(period_start, grain);
