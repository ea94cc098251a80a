"""Tables in a form: the header vocabulary, the grid, tables found in it and the relations stated under them."""
