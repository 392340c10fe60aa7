package server

import "github.com/gin-gonic/gin"

func registerHealth(r *gin.Engine) {
	r.GET("/health", func(c *gin.Context) { c.String(200, "ok") })
}
