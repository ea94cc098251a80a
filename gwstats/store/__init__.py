"""The workspace's store: SQLite, its queries, received files, the workspace lock, year locks and versions."""
