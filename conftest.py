"""pytest configuration shared by the unit tests and the notebook runs (nbval)."""

import matplotlib

matplotlib.use("Agg")  # tests draw figures without a screen


def pytest_collectstart(collector):
    # Notebook cells may warn on stderr (e.g. a library's notice); their stdout and
    # plots are what we check, so stderr is never compared.
    if collector.fspath and str(collector.fspath).endswith(".ipynb"):
        collector.skip_compare += ("stderr",)
