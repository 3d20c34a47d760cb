"""Exceptions raised by the aggregation package."""


class AggregationInputError(ValueError):
    """Raised when crowd labels, gold labels or a CSV file cannot be used as input."""
