"""DuckDB baseline for `cargo xtask bench-ingest`: read each CSV and write it as Parquet.

Usage: duckdb_baseline.py OUT_DIR FILE...  Prints the wall time in seconds.
All columns are read as text (all_varchar) so the peer does the least possible work and
cannot drop leading zeros; the delimiter is given explicitly per file, as a profile would.
"""
import os
import sys
import time

import duckdb

out_dir, files = sys.argv[1], sys.argv[2:]
con = duckdb.connect()
start = time.perf_counter()
for i, path in enumerate(files):
    delim = "\t" if path.endswith(".tsv") else (";" if "brig" in os.path.basename(path) else ",")
    target = os.path.join(out_dir, f"part-{i}.parquet")
    con.execute(
        f"COPY (SELECT * FROM read_csv(?, delim=?, header=true, all_varchar=true)) "
        f"TO '{target}' (FORMAT parquet, COMPRESSION snappy)",
        [path, delim],
    )
print(f"{time.perf_counter() - start:.3f}")
