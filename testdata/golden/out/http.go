package shop

import (
	"fmt"
	"net/http"

	autotrace "github.com/autotrace/autotrace/runtime"
)

//autotrace:span
func Handle(w http.ResponseWriter, r *http.Request) {
	r, __span := autotrace.StartRequest(r, "shop.Handle")
	defer __span.End()
	fmt.Fprintln(w, r.URL.Path)
}

//autotrace:span
func Ignore(w http.ResponseWriter, __req_ *http.Request) {
	__req_, __span := autotrace.StartRequest(__req_, "shop.Ignore")
	defer __span.End()
	w.WriteHeader(http.StatusNoContent)
}

// The context wins over the request when both are there.
//
//autotrace:span
func Both(r *http.Request, ctx interface{ Done() <-chan struct{} }) {
	r, __span := autotrace.StartRequest(r, "shop.Both")
	defer __span.End()
	_ = ctx
}
