"""Collection projects: workers capture photos, recordings and clips (and write texts),
checked automatically and against near-duplicates before a reviewer sees them."""
