"""``selfeval score`` and the button's worker: recomputed values and problem marks written into a Book (``writeback``)."""
