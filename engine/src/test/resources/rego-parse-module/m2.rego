package x

a.b.c := 1
p[k] := v if { k := "a"; v := 1 }
p2["k"] := 1
q.r contains x if { x := 1 }
s contains "a"
f(_) := 1
g(x, y) if { x == y }
h := {"b": 1, "a": [x | x := 1], 3: {1, 1, 2}, "c": {a: 1 | a := 1}}
i := $"x{1 + 2}y"
j := `raw`
k if { some x, y; x := 1; y := 1; x.foo[y] }
l if { data.x.y with input.a as 1 with data.q as 2 }
m := -1.5e3
n := null
o if { x := input; x[_][_] == 1 }
