"""DuckDB peer for `cargo xtask bench-analysis`: the analysis's feature-extraction SQL in DuckDB.

Usage: duckdb_features.py PROFILE_JSON THREADS OUT_JSON

PROFILE_JSON is what `linesight analyse --profile DIR` wrote: the `events` Parquet files the
analysis scanned, and per plan its SQL, time, rows and result checksums. This script runs the
same statements of the first pass (the feature extraction: SMS bursts, per-number features,
contact pairs, device histories) in DuckDB over the same files, with THREADS threads.

The SQL is not rewritten by hand: it is the analysis's own text with four mechanical
translations into DuckDB's dialect, so the two cannot drift apart:
  - `CAST(start_utc AS BIGINT)` -> `epoch_ms(start_utc)` (DuckDB does not cast timestamps to
    integers; both give UTC milliseconds);
  - integer `x / n` -> `x // n` (DuckDB's `/` is float division);
  - `first_value(x ORDER BY t)` -> `arg_min(x, t)`, `last_value(x ORDER BY t)` -> `arg_max(x, t)`
    (DuckDB's idiomatic and fastest form of the same aggregate).
Each result is materialised (`CREATE TEMP TABLE … AS`), as DataFusion collects its result into
memory; only that is timed. The checksums are then computed the way the analysis computes its
own (non-null count, exact integer sum, float sum, sum of text byte lengths, per column in
order) and compared.

Writes OUT_JSON: per plan DuckDB's milliseconds and rows, the analysis's, and whether every
checksum agreed; prints a one-line summary.
"""
import json
import re
import sys
import time

import duckdb

# In the order the analysis runs them. "SMS burst senders" is the first of the burst rule's two
# statements (its senders go into the second as a literal list); profiles from before that split
# lack it, and a plan the profile lacks is skipped.
FEATURE_PLANS = [
    "SMS burst senders",
    "SMS bursts",
    "per-number features",
    "contact pairs",
    "device histories",
]


def translate(sql: str) -> str:
    sql = sql.replace("CAST(start_utc AS BIGINT)", "epoch_ms(start_utc)")
    sql = re.sub(r"([\w)]+) / (\d+)", r"\1 // \2", sql)
    sql = re.sub(r"first_value\((\w+) ORDER BY (\w+)\)", r"arg_min(\1, \2)", sql)
    sql = re.sub(r"last_value\((\w+) ORDER BY (\w+)\)", r"arg_max(\1, \2)", sql)
    return sql


def checks(con, table: str):
    cols = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    out = []
    for name, dtype in cols:
        q = f'"{name}"'
        d = dtype.upper()
        if d == "VARCHAR":
            kind, expr = "text", f"SUM(strlen({q}))"
        elif d in ("DOUBLE", "FLOAT") or d.startswith("DECIMAL"):
            kind, expr = "float", f"SUM(CAST({q} AS DOUBLE))"
        elif any(d.startswith(t) for t in ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")):
            kind, expr = "int", f"SUM(CAST({q} AS HUGEINT))"
        else:
            kind, expr = "other", "NULL"
        nonnull, s = con.execute(f"SELECT COUNT({q}), {expr} FROM {table}").fetchone()
        out.append({"column": name, "kind": kind, "nonnull": nonnull, "sum": s})
    return out


def agree(ours, theirs):
    """Compares the analysis's checksums with DuckDB's, column by column in order."""
    problems = []
    if len(ours) != len(theirs):
        return [f"{len(ours)} columns against {len(theirs)}"]
    for a, b in zip(ours, theirs):
        where = f"column {a['column']} / {b['column']}"
        if a["nonnull"] != b["nonnull"]:
            problems.append(f"{where}: {a['nonnull']} non-null against {b['nonnull']}")
        if a["kind"] == "float" or b["kind"] == "float":
            x, y = float(a["sum"]), float(b["sum"] or 0.0)
            if abs(x - y) > 1e-9 * max(1.0, abs(x), abs(y)):
                problems.append(f"{where}: sum {x!r} against {y!r}")
        elif a["kind"] in ("int", "text"):
            if int(a["sum"]) != int(b["sum"] or 0):
                problems.append(f"{where}: sum {a['sum']} against {b['sum']}")
    return problems


def main():
    profile_path, threads, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    profile = json.load(open(profile_path))
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = false")
    files = [str(f) for f in profile["events_files"]]
    con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet({files!r})")
    plans = {p["name"]: p for p in profile["plans"]}
    results = []
    for i, name in enumerate(n for n in FEATURE_PLANS if n in plans):
        p = plans[name]
        table = f"r{i}"
        sql = translate(p["sql"])
        start = time.perf_counter()
        con.execute(f"CREATE TEMP TABLE {table} AS {sql}")
        ms = (time.perf_counter() - start) * 1000.0
        rows = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        theirs = checks(con, table)
        if rows != p["rows"]:
            problems = [f"{p['rows']} rows against {rows}"]
        else:
            # An empty result has no columns to check (DataFusion may return no batch at all).
            problems = agree(p["checks"], theirs) if rows else []
        results.append(
            {
                "name": name,
                "duckdb_ms": ms,
                "duckdb_rows": rows,
                "datafusion_ms": p["ms"],
                "datafusion_rows": p["rows"],
                "agree": not problems,
                "problems": problems,
                "duckdb_checks": theirs,
                "duckdb_sql": sql,
            }
        )
        con.execute(f"DROP TABLE {table}")
    json.dump(
        {"duckdb_version": duckdb.__version__, "threads": threads, "plans": results},
        open(out_path, "w"),
        indent=2,
        default=str,
    )
    total_d = sum(r["duckdb_ms"] for r in results) / 1000.0
    total_f = sum(r["datafusion_ms"] for r in results) / 1000.0
    print(f"feature plans: DataFusion {total_f:.2f} s, DuckDB {total_d:.2f} s, "
          f"all checksums agree: {all(r['agree'] for r in results)}")


main()
