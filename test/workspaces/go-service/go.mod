module example.com/videosvc

go 1.19
