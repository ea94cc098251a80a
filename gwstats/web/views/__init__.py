"""One module per kind of page; each builds plain data for its template from Workspace calls."""
