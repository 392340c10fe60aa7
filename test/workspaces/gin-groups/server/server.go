package server

import (
	adm "example.com/ginsvc/internal/admin"
	"example.com/ginsvc/videos"
	"github.com/gin-gonic/gin"
)

// New builds the engine: health in this package's other file, videos under two prefixes, admin
// on a group made in the call.
func New() *gin.Engine {
	r := gin.New()
	registerHealth(r)
	api := r.Group("/api")
	videos.Register(api)
	v2 := api.Group("/v2")
	videos.Register(v2)
	adm.Routes(r.Group("/admin"))
	return r
}
