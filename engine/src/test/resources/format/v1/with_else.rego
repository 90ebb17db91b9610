package with_else

test_a if {
    allow with input as {"user": "x"}
        with data.roles as []
}
test_b if allow with input as {} with data.x as 1
test_c if {
    count([1, 2]) == 2 with input as {}
}

grade := "a" if { input.score > 90 } else := "b" if { input.score > 80 } else := "c"

level := 1 if {
    input.x
}
else := 2 if {
    input.y
}

else_inline(x) := 1 if x > 0
else := 2
