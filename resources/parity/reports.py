"""The report tables of the example project, computed with pandas from the raw files,
independently of Sluice. Writes the expected values that tests/cli/reports-parity.test.ts
compares against:
    python3 resources/parity/reports.py ../shared/datasets/global-electronics > tests/fixtures/parity/reports.json
"""
import json
import sys

import pandas as pd

d = sys.argv[1]


def month_first(s):
    a = pd.to_datetime(s, format="%m/%d/%Y", errors="coerce")
    b = pd.to_datetime(s, format="%m-%d-%Y", errors="coerce")
    return a.fillna(b)


def money(s):
    return pd.to_numeric(s.str.replace(r"[$,\s]", "", regex=True))


customers = pd.read_csv(f"{d}/Customers.csv", encoding="cp1252", keep_default_na=False, dtype=str)
products = pd.read_csv(f"{d}/Products.csv", keep_default_na=False, dtype=str)
stores = pd.read_csv(f"{d}/Stores.csv", keep_default_na=False, dtype=str)
rates = pd.read_csv(f"{d}/Exchange_Rates.csv", keep_default_na=False, dtype=str)
sales = pd.read_csv(f"{d}/Sales.csv", keep_default_na=False, dtype=str)
for df in (customers, products, stores, rates, sales):
    for c in df.columns:
        df[c] = df[c].str.strip()

products["ProductKey"] = products["ProductKey"].astype(int)
products["Unit Price USD"] = money(products["Unit Price USD"])
products["Unit Cost USD"] = money(products["Unit Cost USD"])
stores["StoreKey"] = stores["StoreKey"].astype(int)
stores["Square Meters"] = pd.to_numeric(stores["Square Meters"].replace("", None))
rates["Date"] = month_first(rates["Date"])
rates["Exchange"] = rates["Exchange"].astype(float)
sales["Order Date"] = month_first(sales["Order Date"])
for c in ["StoreKey", "ProductKey", "Quantity"]:
    sales[c] = sales[c].astype(int)
lines = sales.merge(products, on="ProductKey", how="left")
lines["revenue_usd"] = lines["Quantity"] * lines["Unit Price USD"]


def out(df, sort, head=None):
    df = df.sort_values(sort, kind="stable").reset_index(drop=True)
    rows = df.head(head) if head else df
    cols = list(df.columns)
    conv = lambda v: v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v))
    return {
        "rows": len(df),
        "columns": cols,
        "head": [[conv(v) for v in r] for r in rows.itertuples(index=False)],
        "sums": {c: float(df[c].sum()) for c in cols if pd.api.types.is_numeric_dtype(df[c])},
    }


result = {}
g = customers.groupby(["Continent", "Country"]).size().reset_index(name="customers")
result["customer_demographics"] = out(g.assign(neg=-g["customers"]), ["neg", "Country"])
result["customer_demographics"]["columns"].remove("neg")
result["customer_demographics"]["head"] = [r[:-1] for r in result["customer_demographics"]["head"]]
result["customer_demographics"]["sums"].pop("neg")

g = products.groupby("Category").agg(
    products=("ProductKey", "size"),
    mean_price=("Unit Price USD", "mean"),
    min_price=("Unit Price USD", "min"),
    max_price=("Unit Price USD", "max"),
    mean_cost=("Unit Cost USD", "mean"),
).reset_index()
result["product_catalog_summary"] = out(g, ["Category"])

g = lines.groupby("StoreKey").agg(
    orders=("Order Number", "nunique"), lines=("Order Number", "size"), quantity=("Quantity", "sum"), revenue_usd=("revenue_usd", "sum")
).reset_index()
g = g.merge(stores[["StoreKey", "Square Meters"]], on="StoreKey", how="left")
g["revenue_per_square_meter"] = g["revenue_usd"] / g["Square Meters"]
result["store_performance"] = out(g.assign(neg=-g["revenue_usd"]), ["neg", "StoreKey"])
for k in ("columns",):
    result["store_performance"][k].remove("neg")
result["store_performance"]["head"] = [r[:-1] for r in result["store_performance"]["head"]]
result["store_performance"]["sums"].pop("neg")

g = lines.groupby("Order Date").agg(orders=("Order Number", "nunique"), quantity=("Quantity", "sum"), revenue_usd=("revenue_usd", "sum")).reset_index()
result["sales_by_date"] = out(g, ["Order Date"], head=5)

g = lines.groupby(["ProductKey", "Product Name", "Category"]).agg(quantity=("Quantity", "sum"), revenue_usd=("revenue_usd", "sum")).reset_index()
g = g.assign(neg=-g["quantity"]).sort_values(["neg", "ProductKey"], kind="stable").head(50).drop(columns="neg")
result["top_products"] = out(g.assign(neg=-g["quantity"]), ["neg", "ProductKey"])
result["top_products"]["columns"].remove("neg")
result["top_products"]["head"] = [r[:-1] for r in result["top_products"]["head"]]
result["top_products"]["sums"].pop("neg")

g = rates.groupby("Currency").agg(
    days=("Exchange", "size"), first_date=("Date", "min"), last_date=("Date", "max"),
    min_rate=("Exchange", "min"), max_rate=("Exchange", "max"), mean_rate=("Exchange", "mean"), std_rate=("Exchange", "std"),
).reset_index()
result["exchange_rate_analysis"] = out(g, ["Currency"])

g = lines.groupby(["StoreKey", "Category"]).agg(orders=("Order Number", "nunique"), quantity=("Quantity", "sum"), revenue_usd=("revenue_usd", "sum")).reset_index()
result["sales_by_store_category"] = out(g, ["StoreKey", "Category"], head=5)

print(json.dumps(result, indent=1))
