module example.com/e1

go 1.25.0

require github.com/autotrace/autotrace v0.0.0

replace github.com/autotrace/autotrace => ../..
