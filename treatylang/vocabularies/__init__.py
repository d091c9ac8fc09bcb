"""Shared vocabularies shipped with treatylang (NAME.vocab): read by the treaties that `uses NAME`."""
