"""The same work as Sluice's benchmark phases, in pandas, for a side-by-side comparison.

Usage: python3 pandas_baseline.py MODE IN.csv OUT.csv PRODUCTS.csv
MODE: clean (clean and write OUT.csv), groupby (clean, then group by customer), join (clean,
then inner join with PRODUCTS.csv on ProductKey). Prints one JSON line: rows in and out,
seconds, peak memory (MB).
"""
import json
import resource
import sys
import time

import pandas as pd

t0 = time.perf_counter()
mode, src, dst, products = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
df = pd.read_csv(src, dtype=str, keep_default_na=False)
rows_in = len(df)
for c in df.columns:
    df[c] = df[c].str.strip()
df = df.replace({"": None, "N/A": None, "n/a": None, "#N/A": None, "NULL": None})
for c in ["Order Date", "Delivery Date"]:
    a = pd.to_datetime(df[c], format="%m/%d/%Y", errors="coerce")
    b = pd.to_datetime(df[c], format="%m-%d-%Y", errors="coerce")
    df[c] = a.fillna(b)
price = df["Unit Price"].str.replace(r"[$,\s]", "", regex=True)
df["Unit Price"] = pd.to_numeric(price, errors="coerce")
for c in ["Order Number", "Line Item", "CustomerKey", "StoreKey", "ProductKey", "Quantity"]:
    df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
df = df.drop_duplicates(subset=["Order Number", "Line Item"], keep="first")
df["Quantity"] = df["Quantity"].fillna(round(df["Quantity"].mean())).astype("Int64")
df = df[df["Quantity"] > 0]
if mode == "clean":
    df.to_csv(dst, index=False, date_format="%Y-%m-%d")
    out = len(df)
elif mode == "groupby":
    g = df.groupby("CustomerKey", sort=False).agg(
        orders=("Order Number", "nunique"),
        quantity=("Quantity", "sum"),
        mean_price=("Unit Price", "mean"),
        last_order=("Order Date", "max"),
    )
    out = len(g)
else:
    p = pd.read_csv(products)
    p["ProductKey"] = p["ProductKey"].astype("Int64")
    out = len(df.merge(p, on="ProductKey", how="inner"))
secs = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rowsIn": rows_in, "rowsOut": out, "seconds": round(secs, 2), "peakMB": round(peak)}))
