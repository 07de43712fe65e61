"""Running untrusted work in worker processes the parent can lose: the pool under limits."""
