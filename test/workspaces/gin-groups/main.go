// A gin service whose routes are registered by functions in other files and packages, on groups
// made by the caller: the locator must follow the group into the function to give each handler
// its full route (routes.txt lists what gin itself registers; generate.sh).
package main

import "example.com/ginsvc/server"

func main() {
	_ = server.New().Run("127.0.0.1:8080")
}
