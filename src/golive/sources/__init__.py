"""Evidence sources: one module per evidence type, each turns its input into records."""
