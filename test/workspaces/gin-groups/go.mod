module example.com/ginsvc

go 1.19
