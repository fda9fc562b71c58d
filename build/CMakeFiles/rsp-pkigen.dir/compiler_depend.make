# Empty compiler generated dependencies file for rsp-pkigen.
# This may be replaced when dependencies are built.
