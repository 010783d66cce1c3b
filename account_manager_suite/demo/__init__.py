"""Demo data of `make run` (not imported with the module: see post_init_hook)."""
