"""De-identification of exported data: faces and licence plates blurred in images, personal
data (Korean and English) masked in texts. Plain modules, no database."""
