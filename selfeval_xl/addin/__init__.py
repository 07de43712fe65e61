"""The Excel add-in: the 计算得分 button (``button``, what ``selfeval_xl.main()`` runs) and the .xlam built from xlwings' ribbon add-in (``build``)."""
