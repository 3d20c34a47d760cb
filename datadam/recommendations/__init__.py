"""Finding workers for a project from a description, and inviting them."""
