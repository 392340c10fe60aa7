#!/bin/sh
# Regenerate routes.txt: the routes gin itself registers for server.New() (method and path,
# sorted), which test/unit/locate/crossFile.test.ts compares with the located endpoints. Builds
# offline in GOPATH mode against Debian's Go packages (apt-get install golang-go
# golang-github-gin-gonic-gin-dev). Run from anywhere: sh test/workspaces/gin-groups/generate.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/example.com" "$tmp/prog"
ln -s "$here" "$tmp/src/example.com/ginsvc"
cat > "$tmp/prog/main.go" <<'GO'
package main

import (
	"fmt"
	"sort"

	"example.com/ginsvc/server"
	"github.com/gin-gonic/gin"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	var rows []string
	for _, r := range server.New().Routes() {
		rows = append(rows, r.Method+" "+r.Path)
	}
	sort.Strings(rows)
	for _, row := range rows {
		fmt.Println(row)
	}
}
GO
cd "$tmp/prog"
GO111MODULE=off GOPATH="$tmp:/usr/share/gocode" GOCACHE="$tmp/cache" go run main.go > "$here/routes.txt"
