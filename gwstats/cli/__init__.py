"""The command-line layer: thin Typer commands over :class:`gwstats.Workspace`."""
