"""Reviewers are checked too: known-good and known-bad answers mixed into review batches."""
