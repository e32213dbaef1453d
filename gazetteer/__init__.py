"""Local gazetteer of China down to villages: build, load, match and resolve place names."""
