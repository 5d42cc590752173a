module github.com/markusmobius/go-htmldate

go 1.22

require golang.org/x/net v0.29.0
