"""Reader benchmark: a 10,000-row x 104-week wide forecast vs. just unzipping its sheet XML.

Run: python -m tests.read.bench_read  (not collected by pytest)
"""
from __future__ import annotations

import io
import random
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import xlsxwriter

from pipelines.read import read_file

MARKETS = ["LEH", "Discount", "Foodservice", "Export NL"]


def wide_forecast(path: Path, rows: int = 10_000, weeks: int = 104) -> None:
    rng = random.Random(1)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Absatzplan")
    ws.write_row(0, 0, ["Absatzplan 2027-2028"])
    labels = [f"KW {w:02d}/{y}" for y in (2027, 2028) for w in range(1, 53)][:weeks]
    ws.write_row(2, 0, ["Artikel", "Markt", *labels, "Summe"])
    for i in range(rows):
        values = [float(rng.randint(0, 5000)) for _ in labels]
        ws.write_row(3 + i, 0, [str(100000 + i // 4), MARKETS[i % 4], *values, sum(values)])
    wb.close()


def timed(fn, runs: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "forecast.xlsx"
        wide_forecast(path)
        data = path.read_bytes()
    unzip = timed(lambda: zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))
    read = timed(lambda: read_file(data, "forecast.xlsx"))
    result = read_file(data, "forecast.xlsx")
    assert result.ok and len(result.sheets[0].frame) == 10_000 * 104
    print(f"file {len(data) / 1e6:.1f} MB; unzip sheet XML min {unzip[0]:.3f} s median {unzip[1]:.3f} s; "
          f"read_file min {read[0]:.3f} s median {read[1]:.3f} s; ratio {read[0] / unzip[0]:.1f}x")


if __name__ == "__main__":
    main()
