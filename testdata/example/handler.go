package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Handler is the HTTP layer.
type Handler struct {
	svc *Service
}

func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

//autotrace:span
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	items := strings.Split(r.URL.Query().Get("items"), ",")
	total, err := h.svc.Checkout(r.Context(), items)
	if errors.Is(err, ErrNotFound) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "total %d\n", total)
}
