"""`einklang serve`'s process: warm the gap model of the current plan, then run Streamlit in this
same process (so the pages find the model in the cache instead of building it on the first view).

Run as `python -m dashboard.serve run dashboard/app.py --server...` (the arguments of `streamlit`).
"""
from __future__ import annotations

import gc
import logging
import sys


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from dashboard import warm
    warm.warm_up()  # before the server listens: the first page after a start is already warm
    gc.freeze()  # the warmed model and frames live as long as the process: no collection walks them
    warm.start_watcher()  # and again whenever a version lands
    from streamlit.web import cli
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
