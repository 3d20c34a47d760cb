"""Crowd-label aggregation: majority vote, Dawid–Skene and kin, on plain numpy arrays.

Typical use::

    from datadam.quality.aggregation import aggregate
    result = aggregate(workers, tasks, labels, method="auto", gold={"t1": "cat"})
    result.as_dict()  # task id -> label

Only numpy and scipy are needed; no Django.
"""

from .api import FITTERS, METHODS, aggregate, aggregate_encoded
from .auto import auto, choose_method
from .dawid_skene import ds, ods
from .encoding import Encoded, encode
from .errors import AggregationInputError
from .glad import glad
from .io import read_gold_csv, read_labels_csv, write_result_csv, write_workers_csv
from .mace import mace
from .majority import mv, wmv
from .result import AggregationResult

__all__ = [
    "FITTERS",
    "METHODS",
    "AggregationInputError",
    "AggregationResult",
    "Encoded",
    "aggregate",
    "aggregate_encoded",
    "auto",
    "choose_method",
    "ds",
    "encode",
    "glad",
    "mace",
    "mv",
    "ods",
    "read_gold_csv",
    "read_labels_csv",
    "wmv",
    "write_result_csv",
    "write_workers_csv",
]
