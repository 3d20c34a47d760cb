"""Worker skills: per kind and per skill tag, from gold answers, agreement, reviews and speed."""
