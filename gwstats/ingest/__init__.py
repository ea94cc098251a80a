"""The import: which files, reading and parsing them (on a pool for large batches), deciding and storing each."""
