"""Network sources: clients that fetch records from PubMed, Crossref and Europe PMC and
return plain records."""
