"""pytest configuration shared by the unit tests and the notebook runs (nbval)."""

import matplotlib

matplotlib.use("Agg")  # tests draw figures without a screen


def pytest_collection_modifyitems(items):
    # nbval's items (the notebooks' cells) belong to the notebooks tier.
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker("notebooks")


def pytest_collectstart(collector):
    # Notebook cells may warn on stderr (e.g. a library's notice); their stdout and
    # plots are what we check, so stderr is never compared.
    if collector.fspath and str(collector.fspath).endswith(".ipynb"):
        collector.skip_compare += ("stderr",)
