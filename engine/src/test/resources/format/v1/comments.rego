# Leading comment block
# before the package.
package comments


# after the package, two blank lines above
import data.lib.helpers # trailing import comment

# rule comment
allow if {
    input.user == "admin" # end of line
    # own line inside the body

    input.method == "GET"
    # before the closing brace
}

list := [
    1, # one
    2,
    # before the closing bracket
]

collapsed := [1, 2, # cannot collapse
  3]

obj := {"a": 1,
  # in the middle
  "b": 2}
# trailing comment at end of file
