package main

import (
	"net/http/httptest"
	"testing"
)

func TestDashboardStats(t *testing.T) {
	rec := httptest.NewRecorder()
	newMux().ServeHTTP(rec, httptest.NewRequest("GET", "/api/dashboard/stats", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
}

func BenchmarkDashboardStats(b *testing.B) {
	mux := newMux()
	for i := 0; i < b.N; i++ {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/dashboard/stats", nil))
	}
}

func BenchmarkProjectVideos(b *testing.B) {
	for _, size := range []string{"small", "large"} {
		b.Run(size, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				projectVideos(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/projects/p-1/videos", nil))
			}
		})
	}
}

// Lower-case: go test does not run it, and neither do we list it.
func benchmarkHelper(b *testing.B) { b.Helper() }

var _ = benchmarkHelper
