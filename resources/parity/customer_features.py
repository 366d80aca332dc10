"""Customer features computed with pandas straight from the raw files, independently of Sluice.

Used to produce the expected values in tests/cli/features-parity.test.ts:
    python3 resources/parity/customer_features.py ../shared/datasets/global-electronics
Dates in the raw files are month first in both renderings (9/27/1979, 07-03-1939).
"""
import json
import sys

import pandas as pd

d = sys.argv[1]
customers = pd.read_csv(f"{d}/Customers.csv", encoding="cp1252", keep_default_na=False, dtype=str)
sales = pd.read_csv(f"{d}/Sales.csv", keep_default_na=False, dtype=str)


def month_first(s):
    a = pd.to_datetime(s, format="%m/%d/%Y", errors="coerce")
    b = pd.to_datetime(s, format="%m-%d-%Y", errors="coerce")
    return a.fillna(b)


sales["Order Date"] = month_first(sales["Order Date"])
sales["Quantity"] = sales["Quantity"].astype(int)
sales["CustomerKey"] = sales["CustomerKey"].astype(int)
customers["CustomerKey"] = customers["CustomerKey"].astype(int)
reference = sales["Order Date"].max() + pd.Timedelta(days=1)
per = sales.groupby("CustomerKey").agg(
    total_orders=("Order Number", "nunique"),
    total_quantity=("Quantity", "sum"),
    first_purchase=("Order Date", "min"),
    last_purchase=("Order Date", "max"),
)
f = customers[["CustomerKey"]].merge(per, on="CustomerKey", how="left")
f["total_orders"] = f["total_orders"].fillna(0).astype(int)
f["total_quantity"] = f["total_quantity"].fillna(0).astype(int)
f["avg_quantity_per_order"] = f["total_quantity"] / f["total_orders"].where(f["total_orders"] > 0)
f["tenure_days"] = (reference - f["first_purchase"]).dt.days
f["recency_days"] = (reference - f["last_purchase"]).dt.days
f["is_active"] = f["recency_days"].le(90)
summary = {
    "reference_date": reference.strftime("%Y-%m-%d"),
    "rows": len(f),
    "with_orders": int((f["total_orders"] > 0).sum()),
    "sum_total_orders": int(f["total_orders"].sum()),
    "sum_total_quantity": int(f["total_quantity"].sum()),
    "active": int(f["is_active"].sum()),
    "sum_tenure_days": int(f["tenure_days"].sum()),
    "sum_recency_days": int(f["recency_days"].sum()),
    "mean_avg_quantity_per_order": round(float(f["avg_quantity_per_order"].mean()), 9),
}
print(json.dumps(summary))
for key in [301, 325, 554, 786, 1269051, 723572]:
    r = f[f["CustomerKey"] == key].iloc[0]
    print(json.dumps({
        "CustomerKey": key,
        "total_orders": int(r.total_orders),
        "total_quantity": int(r.total_quantity),
        "avg_quantity_per_order": None if pd.isna(r.avg_quantity_per_order) else round(float(r.avg_quantity_per_order), 9),
        "first_purchase": None if pd.isna(r.first_purchase) else r.first_purchase.strftime("%Y-%m-%d"),
        "last_purchase": None if pd.isna(r.last_purchase) else r.last_purchase.strftime("%Y-%m-%d"),
        "tenure_days": None if pd.isna(r.tenure_days) else int(r.tenure_days),
        "recency_days": None if pd.isna(r.recency_days) else int(r.recency_days),
        "is_active": bool(r.is_active),
    }))
