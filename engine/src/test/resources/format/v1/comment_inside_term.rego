package inside

x := [
    1, 2 # on the only line of elements
]

y := {"a": 1, "b": [3, 4,  # keeps its spacing
  5]}

f(a,
  b) := a if { true }
