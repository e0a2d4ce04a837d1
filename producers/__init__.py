"""Feed polling and publishing: registry, conditional fetch, parsing, checkpoints."""
