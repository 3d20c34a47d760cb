"""Consent forms signed in the browser by the person in the data, stored with each capture,
and their withdrawal (the captures leave future exports and are listed for the client)."""
