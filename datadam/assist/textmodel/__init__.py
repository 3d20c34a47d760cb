"""The built-in text model: all-MiniLM-L6-v2 embeddings (``encoder``), a logistic-regression
head trained on a project's labels (``head``) and uncertainty scores (``uncertainty``).
Plain modules, no Django: the assist app's services use them."""
