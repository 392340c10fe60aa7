// Route table in gin's and chi's idiom. The locator reads the source only; the imports are
// not in go.mod, so this package is excluded from builds by the tag below.

//go:build perflens_fixture

package ginapi

import (
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
)

func Gin(r *gin.Engine) {
	r.GET("/health", health)
	api := r.Group("/api")
	v1 := api.Group("/v1")
	v1.GET("/projects/:project_id/videos", listVideos)
	v1.POST("/videos/upload", upload)
}

func Chi(r chi.Router) {
	r.Route("/api/v2", func(r chi.Router) {
		r.Get("/videos/{videoID}/detections", detections)
		r.Post("/videos/upload", upload)
	})
}
