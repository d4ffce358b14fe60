"""France Compétences' RNCP registry: reading its export, checking and updating the catalogue."""
