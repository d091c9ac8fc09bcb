"""The casebook: scenarios with an `expect` block, checked by `treaty test` and by pytest (see runner.py)."""

from treatylang.casebook.runner import Failure, check_expectations, read_case, run_case, treaty_cache

__all__ = ["Failure", "check_expectations", "read_case", "run_case", "treaty_cache"]
