"""The AVAILABLE TESTS panel's spreadsheet export (the fulfillment page: "a csv or xls
file of your available test IDs"): CSV with a header row, or a real XLSX workbook made by
openpyxl. The columns are assumed (the panel was shown only as an image)."""

from __future__ import annotations

import csv
import io

from .models.inventory import TestView
from .wire import label

COLUMNS = ("Test ID", "Product Code", "Status", "Assigned To")
CSV_TYPE = "text/csv"  # Flask adds "; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(views: list[TestView], vocabulary: str) -> list[tuple[str, str, str, str]]:
    # Available tests have an empty Assigned-to by definition: the column stays empty.
    return [(v.test.test_id, v.product_code, label(v.test.status, vocabulary), "") for v in views]


def as_csv(views: list[TestView], vocabulary: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_rows(views, vocabulary))
    return out.getvalue().encode()


def as_xlsx(views: list[TestView], vocabulary: str) -> bytes:
    # Imported here: openpyxl costs ~120 ms and several MiB to import, in every worker at
    # start, for an export a user asks for now and then.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Available tests"
    sheet.append(COLUMNS)
    for row in _rows(views, vocabulary):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
