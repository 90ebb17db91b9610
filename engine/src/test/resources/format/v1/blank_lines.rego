package blanks
a := 1
b := 2


c := 3
f(x) := y if {
    y := x + 1


    y > 2
    z := y

    z < 10
}
g if true
h if false
