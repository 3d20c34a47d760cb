"""Perceptual fingerprints and the near-duplicate index (plain modules, no database).

``image``: a 64-bit perceptual hash of a photo and the signature that confirms a match;
``audio``: a 64-bit spectral fingerprint of a recording; ``text``: MinHash fingerprints of
texts; ``index``: ``HammingIndex``, the in-memory multi-index over 64-bit hashes that finds
every stored hash within a Hamming distance.
"""
