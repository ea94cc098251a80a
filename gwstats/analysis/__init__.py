"""Adding up: the tree, one year's values, the rollup with rates and year-over-year, checks, status, trace."""
