"""What a number means and whose it is: the catalog of metrics, the workspace settings, the unit hierarchy."""
