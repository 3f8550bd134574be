"""High-value and anti-corruption dataset coverage."""
