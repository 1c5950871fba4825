module autotrace-corpus

go 1.26.0
