file(REMOVE_RECURSE
  "librspg.a"
)
