package c

# c1
x := 1 # c2
# c3
y := [ # c4
  1, # c5
  # c6
  2 # c7
] # c8

f(a, # arg comment
  b) := a

p if { # after brace
  true
} # after close

q if {
  input.x # ex
  # between


  # two blank above
  input.y
}

r if { input.a } # one-liner comment
s := {"k": # inside
  1}
t contains x if { x := 1 }
t contains y if {
  y := 2
}

u if {
  some x in [1, 2, 3] # in comment
  x > 1
}

v := [x | x := [1, 2][_]] # compr
w := {x: y |
  x := 1
  y := 2 # inner
}
# end
# end 2
