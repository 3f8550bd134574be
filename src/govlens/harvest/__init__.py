"""I/O: reading catalogues page by page (CKAN Action API, DCAT-AP RDF, data.json)."""
