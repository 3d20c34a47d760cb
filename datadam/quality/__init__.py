"""Quality control: gold questions, per-project rules, restrictions and appeals.

The ``aggregation`` package beside it is plain numpy and needs no Django.
"""
