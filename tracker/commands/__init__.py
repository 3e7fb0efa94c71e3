"""Click commands, one module per area. Each command parses options and calls the core."""
