"""The zero-config clean that `sluice import` + `sluice run` do, written in pandas, DuckDB or polars.

Usage: python3 peers.py TOOL IN.csv OUT.csv KEY [KEY ...]
TOOL: pandas, duckdb (2 threads) or polars. The work, as the recipe Sluice generates for the
benchmark file: trim every cell, blanks and N/A / #N/A / NULL (any case) to null, Order Date and
Delivery Date from M/D/YYYY or MM-DD-YYYY to ISO dates, Unit Price from "$1,234.50 " to a
number, the key and count columns to integers, one row per KEY (the first), CSV out.
Prints one JSON line: tool, version, rows in and out, seconds (from interpreter start), peak MB.
Exits 3 when TOOL is not installed for this python.
"""
import json
import resource
import sys
import time

T0 = time.perf_counter()
TOOL, SRC, DST, KEY = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
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
    rows_out = con.execute(
        f"""COPY (
              WITH src AS (
                SELECT row_number() OVER () AS _row, * FROM read_csv('{SRC}', all_varchar = true)
              )
              SELECT * EXCLUDE (_row) FROM (SELECT _row, {select} FROM src)
              QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _row) = 1
              ORDER BY _row
            ) TO '{DST}' (HEADER, DELIMITER ',')"""
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
