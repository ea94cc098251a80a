"""Foundations every stage uses: errors and finding codes, text and number formatting, value parsing, rounding, expressions."""
