# Empty dependencies file for rspg.
# This may be replaced when dependencies are built.
