package legacy

import future.keywords.in

deny[msg] {
    input.x
    msg := "x set"
}
allow { input.user == "admin" }
allow = true { input.user == "root" }
p[x] = y { x := "a"; y := 1 }
f(x) = y { y := x }
default d = false
q := 1
r { 1 in [1] }
e = 1 { false } else = 2 { true }
