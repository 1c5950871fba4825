module example.com/accuracy

go 1.25.0
