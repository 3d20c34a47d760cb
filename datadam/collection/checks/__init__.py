"""Automatic checks of captured media (plain modules, no database).

``image``: resolution, blur and darkness of a photo; ``audio``: decoding a recording and its
duration, silence, clipping and noise. Each check gives a ``findings.Finding``.
"""
