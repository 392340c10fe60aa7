package admin

import "github.com/gin-gonic/gin"

// Routes registers the admin endpoints on the group it is given.
func Routes(g *gin.RouterGroup) {
	g.DELETE("/cache", func(c *gin.Context) { c.Status(204) })
}
