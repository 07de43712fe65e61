"""``selfeval demo``: a seeded, realistic data set (``data``) filled, checked, summarised and its reports drafted (``run``)."""
