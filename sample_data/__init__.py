"""Bundled sample data (see sample_data/README.md); shipped as package data for `gwstats demo`."""
