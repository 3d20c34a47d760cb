"""The hub's writes, one module per part: datasets, versions, access, improvement requests.

Each function is keyword-only, checks permission (``hub.visibility``), changes state in a
transaction and records an audit event.
"""
