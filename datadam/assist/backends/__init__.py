"""Model backends spoken to over HTTP (no Django here): Label Studio's ML backend protocol.

``labelstudio`` holds the client and re-exports the labelling configs (``lsconfig``) and
the converters between Label Studio regions and our answers (``lsconvert``).
"""
