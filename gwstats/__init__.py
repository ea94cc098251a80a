"""gwstats: compile 关工委 statistical returns up the hierarchy.

Library entry point::

    from gwstats import Workspace
    ws = Workspace.open("path/to/workspace")
"""

__version__ = "0.1.0"

__all__ = ["Workspace", "GwstatsError", "__version__"]


def __getattr__(name):
    # Lazy so that `gwstats --help` does not pay for the library's imports.
    if name == "Workspace":
        from gwstats.workspace import Workspace

        return Workspace
    if name == "GwstatsError":
        from gwstats.core.errors import GwstatsError

        return GwstatsError
    raise AttributeError(name)
