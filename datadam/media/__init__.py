"""Images uploaded by clients for image-annotation projects (docs/media.md)."""
