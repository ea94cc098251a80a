"""Cells to returns: one ParsedReturn per unit and year, from long, wide, cross-tab and online-form layouts."""
