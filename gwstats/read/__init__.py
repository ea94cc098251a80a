"""Files to cells: workbooks and CSV read safely (zip scan, an isolated process for old formats)."""
