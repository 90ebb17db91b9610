package heads

default allow := false
p = 1
q := {"a": 1}
r[x] := true if { x := input.k }
s.t.u := 1
s.t.v contains "a"
fn(a, b) := a + b
g(_) := 1
h(x) if x > 0
c := true if { true }
obj[k] := v if { some k, v in input }
numbers := [1.0, 1e3, 0.5e-2, 100, -1, -0.5]
strs := ["plain", "esc\"aped\n", `raw "quoted"`, "unicode \u00e9"]
arith := (1 + 2) * 3
arith2 := 1 + 2 * 3
neg(x) := -x
unions := {1} | {2}
in_arr := [{1} | {2}]
empty := [[], {}, set()]
