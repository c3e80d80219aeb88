"""The messages in every language the program speaks, and the formatter that reads them."""
