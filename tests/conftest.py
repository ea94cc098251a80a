import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


@pytest.fixture
def workspace(tmp_path):
    """A fresh workspace with the example units (某某市关工委, 9 units over 3 levels) loaded."""
    from gwstats import Workspace

    ws = Workspace.init(tmp_path / "ws", name="测试市关工委", year=2018)
    ws.import_units(ws.root / "units.csv")
    return ws


# Shared fixtures that live in their own modules (tests/ is on sys.path under pytest's rootdir).
from chart_dataset import chart_ws, no_glyph_warnings  # noqa: E402,F401
from demo_run import demo_run  # noqa: E402,F401


@pytest.fixture(autouse=True)
def _web_apps_closed_after_each_test():
    """Every web app a test started through web_helpers.client() is shut down after it, so none of its
    threads outlives the test (a live thread makes the import pool spawn instead of fork)."""
    yield
    from web_helpers import close_clients

    close_clients()
