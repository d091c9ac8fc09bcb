"""The rule IR: what a checked treaty means, lowered once from the syntax tree.

Each construct is one class that holds its whole meaning: how it evaluates (`eval3`, `match`, `expand`,
`apply`), how it is written as fast Python (`emit`), how it explains itself (`describe`) and how it answers
"why not" (`why_not`). The interpreter, the code generator and the explanations all call these methods,
so a construct's meaning is written once (tests/ir/test_registry.py fails when one is missing).
"""
