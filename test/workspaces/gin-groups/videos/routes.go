// Package videos registers its routes on whatever group the caller hands it.
package videos

import "github.com/gin-gonic/gin"

func Register(g *gin.RouterGroup) {
	g.GET("/videos/:id", getVideo)
	uploads := g.Group("/uploads")
	uploads.POST("/new", createUpload)
	uploads.GET("/:uploadId", getUpload)
}

func getVideo(c *gin.Context)     { c.JSON(200, gin.H{"id": c.Param("id")}) }
func createUpload(c *gin.Context) { c.Status(201) }
func getUpload(c *gin.Context)    { c.JSON(200, gin.H{"id": c.Param("uploadId")}) }
