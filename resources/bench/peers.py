"""The zero-config clean that `sluice import` + `sluice run` do, written in pandas, DuckDB or polars;
with --phase, the work of one of `sluice bench`'s in-process phases instead.

Usage: python3 peers.py TOOL IN.csv OUT.csv KEY [KEY ...] [--phase PHASE PRODUCTS.csv]
TOOL: pandas, duckdb (2 threads) or polars. The work, as the recipe Sluice generates for the
benchmark file: trim every cell, blanks and N/A / #N/A / NULL (any case) to null, Order Date and
Delivery Date from M/D/YYYY or MM-DD-YYYY to ISO dates, Unit Price from "$1,234.50 " to a
number, the key and count columns to integers, one row per KEY (the first), CSV out.
PHASE (as BENCH_PIPELINE in src-main/cli/bench.ts): after the de-duplication, missing Quantity
filled with its rounded mean and rows with Quantity > 0 kept; then clean (CSV out), groupby (per
CustomerKey: distinct orders, quantity, mean price, last order) or join (inner, with
PRODUCTS.csv on ProductKey), each result made whole in memory and its rows counted.
Prints one JSON line: tool, version, rows in and out, seconds (from interpreter start), peak MB.
Exits 3 when TOOL is not installed for this python.
"""
import json
import resource
import sys
import time

T0 = time.perf_counter()
ARGS = sys.argv[1:]
PHASE = PRODUCTS = None
if "--phase" in ARGS:
    at = ARGS.index("--phase")
    PHASE, PRODUCTS = ARGS[at + 1], ARGS[at + 2]
    ARGS = ARGS[:at] + ARGS[at + 3:]
TOOL, SRC, DST, KEY = ARGS[0], ARGS[1], ARGS[2], ARGS[3:]
DATES = ["Order Date", "Delivery Date"]
INTS = ["Order Number", "Line Item", "CustomerKey", "StoreKey", "ProductKey", "Quantity"]
NULLS = ["", "n/a", "#n/a", "null"]


def run_pandas():
    import pandas as pd

    df = pd.read_csv(SRC, dtype=str, keep_default_na=False)
    rows_in = len(df)
    for c in df.columns:
        df[c] = df[c].str.strip()
        df.loc[df[c].str.lower().isin(NULLS), c] = None
    for c in DATES:
        a = pd.to_datetime(df[c], format="%m/%d/%Y", errors="coerce")
        b = pd.to_datetime(df[c], format="%m-%d-%Y", errors="coerce")
        df[c] = a.fillna(b)
    price = df["Unit Price"].str.replace(r"[$,\s]", "", regex=True)
    df["Unit Price"] = pd.to_numeric(price, errors="coerce")
    for c in INTS:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
    df = df.drop_duplicates(subset=KEY, keep="first")
    if PHASE:
        df["Quantity"] = df["Quantity"].fillna(round(df["Quantity"].mean())).astype("Int64")
        df = df[df["Quantity"] > 0]
    if PHASE == "groupby":
        g = df.groupby("CustomerKey", sort=False, dropna=False).agg(
            orders=("Order Number", "nunique"),
            quantity=("Quantity", "sum"),
            mean_price=("Unit Price", "mean"),
            last_order=("Order Date", "max"),
        )
        return pd.__version__, rows_in, len(g)
    if PHASE == "join":
        p = pd.read_csv(PRODUCTS)
        p["ProductKey"] = p["ProductKey"].astype("Int64")
        return pd.__version__, rows_in, len(df.merge(p, on="ProductKey", how="inner"))
    df.to_csv(DST, index=False, date_format="%Y-%m-%d")
    return pd.__version__, rows_in, len(df)


def run_duckdb():
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    nulls = ", ".join(f"'{n}'" for n in NULLS)
    cols = con.execute(f"SELECT * FROM read_csv('{SRC}', all_varchar = true) LIMIT 0").description
    names = [c[0] for c in cols]

    def clean(c):
        q = f'"{c}"'
        t = f"CASE WHEN lower(trim({q})) IN ({nulls}) THEN NULL ELSE trim({q}) END"
        if c in DATES:
            return (
                f"coalesce(try_strptime({t}, '%m/%d/%Y'), try_strptime({t}, '%m-%d-%Y'))::DATE AS {q}"
            )
        if c == "Unit Price":
            return f"TRY_CAST(regexp_replace({t}, '[$,\\s]', '', 'g') AS DOUBLE) AS {q}"
        if c in INTS:
            return f"TRY_CAST({t} AS BIGINT) AS {q}"
        return f"{t} AS {q}"

    key = ", ".join(f'"{k}"' for k in KEY)
    select = ", ".join(clean(c) for c in names)
    kept = f"""WITH src AS (
                 SELECT row_number() OVER () AS _row, * FROM read_csv('{SRC}', all_varchar = true)
               ),
               kept AS (
                 SELECT * FROM (SELECT _row, {select} FROM src)
                 QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _row) = 1
               )"""
    if PHASE:
        kept += """, filled AS (
                 SELECT * REPLACE (coalesce("Quantity", (SELECT round(avg("Quantity")) FROM kept)::BIGINT) AS "Quantity")
                 FROM kept
               ),
               cleaned AS (SELECT * FROM filled WHERE "Quantity" > 0)"""
    else:
        kept += ", cleaned AS (SELECT * FROM kept)"
    if PHASE == "groupby":
        work = """SELECT "CustomerKey", count(DISTINCT "Order Number") AS orders, sum("Quantity") AS quantity,
                    avg("Unit Price") AS mean_price, max("Order Date") AS last_order
                  FROM cleaned GROUP BY 1"""
    elif PHASE == "join":
        work = f"""SELECT * FROM cleaned JOIN read_csv('{PRODUCTS}') AS p USING ("ProductKey")"""
    else:
        work = None
    if work:
        con.execute(f"CREATE TEMP TABLE result AS {kept} {work}")
        rows_out = con.execute("SELECT count(*) FROM result").fetchone()[0]
    else:
        rows_out = con.execute(
            f"""COPY ({kept} SELECT * EXCLUDE (_row) FROM cleaned ORDER BY _row)
                TO '{DST}' (HEADER, DELIMITER ',')"""
        ).fetchone()[0]
    rows_in = con.execute(f"SELECT count(*) FROM read_csv('{SRC}', all_varchar = true)").fetchone()[0]
    return duckdb.__version__, rows_in, rows_out


def run_polars():
    import polars as pl

    df = pl.read_csv(SRC, infer_schema=False)
    rows_in = df.height
    df = df.with_columns(pl.all().str.strip_chars())
    df = df.with_columns(
        pl.when(pl.all().str.to_lowercase().is_in(NULLS)).then(None).otherwise(pl.all()).name.keep()
    )
    df = df.with_columns(
        [
            pl.coalesce(
                pl.col(c).str.strptime(pl.Date, "%m/%d/%Y", strict=False),
                pl.col(c).str.strptime(pl.Date, "%m-%d-%Y", strict=False),
            ).alias(c)
            for c in DATES
        ]
        + [
            pl.col("Unit Price")
            .str.replace_all(r"[$,\s]", "")
            .cast(pl.Float64, strict=False)
            .alias("Unit Price")
        ]
        + [pl.col(c).cast(pl.Int64, strict=False) for c in INTS]
    )
    df = df.unique(subset=KEY, keep="first", maintain_order=True)
    if PHASE:
        mean = df["Quantity"].mean()
        df = df.with_columns(pl.col("Quantity").fill_null(round(mean) if mean is not None else None))
        df = df.filter(pl.col("Quantity") > 0)
    if PHASE == "groupby":
        g = df.group_by("CustomerKey").agg(
            pl.col("Order Number").n_unique().alias("orders"),
            pl.col("Quantity").sum().alias("quantity"),
            pl.col("Unit Price").mean().alias("mean_price"),
            pl.col("Order Date").max().alias("last_order"),
        )
        return pl.__version__, rows_in, g.height
    if PHASE == "join":
        p = pl.read_csv(PRODUCTS, schema_overrides={"ProductKey": pl.Int64})
        return pl.__version__, rows_in, df.join(p, on="ProductKey", how="inner").height
    df.write_csv(DST)
    return pl.__version__, rows_in, df.height


RUNNERS = {"pandas": run_pandas, "duckdb": run_duckdb, "polars": run_polars}
try:
    version, rows_in, rows_out = RUNNERS[TOOL]()
except ModuleNotFoundError as e:
    print(f"{TOOL} is not installed for {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(
    json.dumps(
        {
            "tool": TOOL,
            "version": version,
            "rowsIn": rows_in,
            "rowsOut": rows_out,
            "seconds": round(time.perf_counter() - T0, 2),
            "peakMB": round(peak),
        }
    )
)
