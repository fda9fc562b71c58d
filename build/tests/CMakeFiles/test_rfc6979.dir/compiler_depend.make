# Empty compiler generated dependencies file for test_rfc6979.
# This may be replaced when dependencies are built.
