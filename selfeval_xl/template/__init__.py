"""The official 自评表 as template workbooks: :mod:`.plan` places every cell, :mod:`.writer` writes the
workbook from the plan, :mod:`.instructions` its 填表说明 sheet."""
