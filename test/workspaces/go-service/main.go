// Video service on net/http. Go 1.22 method patterns ("GET /x/{id}") are plain strings to
// older toolchains, so this file builds with any Go.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strings"
)

// http.HandleFunc("/commented", nope) must not be found.
const usage = `http.HandleFunc("/in-a-raw-string", h)`

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func dashboardStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]int{"projects": 3, "videos": 42})
}

func projectVideos(w http.ResponseWriter, r *http.Request) {
	id := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/projects/"), "/")[0]
	writeJSON(w, map[string]any{"project_id": id, "videos": []string{}})
}

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/{project_id}/videos", projectVideos)
	mux.HandleFunc("POST /api/videos/upload", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("/api/dashboard/stats", dashboardStats)
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	return mux
}

// BenchmarkHelper takes no *testing.B, so it is not a benchmark.
func BenchmarkHelper(n int) int { return n }

func main() {
	log.Println(usage)
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", newMux()))
}
