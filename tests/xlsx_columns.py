"""Column settings as a file stores them: a writer may store adjacent columns of one width as one
<col min max> range (XlsxWriter does, as Excel does), which openpyxl files under the range's first letter."""

from openpyxl.utils import column_index_from_string


def column(sheet, letter: str):
    """The ColumnDimension covering column ``letter`` (openpyxl's default when the file sets none)."""
    k = column_index_from_string(letter)
    for d in sheet.column_dimensions.values():
        if d.min is not None and d.max is not None and d.min <= k <= d.max:
            return d
    return sheet.column_dimensions[letter]
