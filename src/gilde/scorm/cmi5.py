"""cmi5 launches: see the module's full text below (filled in with the cmi5 runtime)."""
