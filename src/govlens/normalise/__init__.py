"""Pure: raw source records to the model."""
