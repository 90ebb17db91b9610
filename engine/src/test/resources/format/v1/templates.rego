package templates

name := "world"
greeting := $"hello {name}!"
raw := $`multi
line {name}`
escaped := $"braces \{ and {count([1, 2])} items"
scalar := $"n={1} s={"x"}"
