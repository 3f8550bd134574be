"""Pure: roll-ups per publisher, catalogue and government; history and deltas."""
