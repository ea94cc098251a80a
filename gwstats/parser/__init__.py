"""Finding returns in sheets: the one-unit-per-sheet and one-row-per-unit layouts."""
