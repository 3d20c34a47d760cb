"""A small drawing for the wizard's live preview of the image kinds (no network, no file)."""

from __future__ import annotations

from urllib.parse import quote

_SAMPLE_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='320' height='200' viewBox='0 0 320 200'>"
    "<rect width='320' height='200' fill='#e8f0fe'/>"
    "<circle cx='110' cy='100' r='55' fill='#0b57d0'/>"
    "<rect x='180' y='50' width='100' height='100' fill='#0b7a3b'/></svg>"
)
#: The drawing as a data: URL, and its size in pixels.
SAMPLE_IMAGE = "data:image/svg+xml," + quote(_SAMPLE_SVG)
SAMPLE_SIZE = (320, 200)
#: How a client's import file names an image.
EXAMPLE_IMAGE = "https://example.com/images/0001.jpg"
