"""The same work as Sluice's benchmark pipeline, in pandas, for a side-by-side comparison.

Usage: python3 pandas_baseline.py IN.csv OUT.csv
Prints one JSON line: rows in and out, seconds, peak memory (MB).
"""
import json
import resource
import sys
import time

import pandas as pd

t0 = time.perf_counter()
src, dst = sys.argv[1], sys.argv[2]
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
df.to_csv(dst, index=False, date_format="%Y-%m-%d")
secs = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rowsIn": rows_in, "rowsOut": len(df), "seconds": round(secs, 2), "peakMB": round(peak)}))
