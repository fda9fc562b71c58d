# Empty compiler generated dependencies file for test_key_derive.
# This may be replaced when dependencies are built.
