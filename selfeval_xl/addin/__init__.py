"""addin."""
