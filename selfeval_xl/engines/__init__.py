"""What computes a workbook without Excel: LibreOffice headless (``libreoffice``) and the ``formulas`` package with the SE_* functions registered (``formulas_bridge``)."""
