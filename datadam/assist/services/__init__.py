"""Writes of model assistance: settings (``settings``), the model jobs (``jobs``)."""
