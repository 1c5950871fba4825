package shop

import (
	"fmt"
	"net/http"
)

//autotrace:span
func Handle(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, r.URL.Path)
}

//autotrace:span
func Ignore(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

// The context wins over the request when both are there.
//
//autotrace:span
func Both(r *http.Request, ctx interface{ Done() <-chan struct{} }) {
	_ = ctx
}
