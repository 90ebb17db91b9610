package wrapping

short := [1, 2, 3]
long := [
  "alpha", "beta",
  "gamma"]
nested := {"a": [1, 2,
  3], "b": {"c": 1}}
call if {
    x := concat(",", [
        "a",
        "b",
    ])
    y := sprintf("%s %s",
        ["a", "b"])
    object.get(input, ["a", "b"],
        "default")
}
set_lit := {1,
  2, 3}
first_on_next := [
  1, 2, 3
]
