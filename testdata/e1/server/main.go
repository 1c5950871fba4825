// Command server is the E1 benchmark's HTTP service: a catalogue lookup
// through handler, service and store layers, doing a little real work per
// request (parsing, map lookups, sorting, JSON encoding) so that per-call
// overhead would show. scripts/e1.sh builds it plain and with every
// function instrumented and compares requests per second.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

type Item struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags"`
}

type Store struct{ items map[int]Item }

func NewStore(n int) *Store {
	s := &Store{items: make(map[int]Item, n)}
	for i := 0; i < n; i++ {
		s.items[i] = Item{ID: i, Name: "item-" + strconv.Itoa(i), Price: float64(i%97) + 0.99, Tags: []string{"a", "b"}}
	}
	return s
}

func (s *Store) Get(ctx context.Context, id int) (Item, error) {
	it, ok := s.items[id]
	if !ok {
		return Item{}, fmt.Errorf("item %d not found", id)
	}
	return it, nil
}

type Service struct{ store *Store }

func (s *Service) Basket(ctx context.Context, ids []int) ([]Item, float64, error) {
	items := make([]Item, 0, len(ids))
	for _, id := range ids {
		it, err := s.store.Get(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		items = append(items, it)
	}
	sortByPrice(items)
	return items, total(items), nil
}

func sortByPrice(items []Item) {
	sort.Slice(items, func(i, j int) bool { return items[i].Price < items[j].Price })
}

func total(items []Item) float64 {
	t := 0.0
	for _, it := range items {
		t += it.Price
	}
	return t
}

func parseIDs(q string) ([]int, error) {
	var ids []int
	for _, f := range strings.Split(q, ",") {
		id, err := strconv.Atoi(f)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

type Handler struct{ svc *Service }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ids, err := parseIDs(r.URL.Query().Get("ids"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	items, sum, err := h.svc.Basket(r.Context(), ids)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, map[string]any{"items": items, "total": sum})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr())
	srv := &http.Server{Handler: &Handler{svc: &Service{store: NewStore(1000)}}}
	go srv.Serve(ln)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	<-stop
	srv.Shutdown(context.Background())
}
