"""Forms going down and up: blank templates for the units, a catalog from a superior's form, the return sent up."""
