// Command shop is autotrace's bundled example: a small HTTP service with
// layers (handler → service → store), an error path, a recovered panic and
// concurrent work, driven by a built-in client so that one run exercises
// all of it and exits.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/autotrace/autotrace/autohttp"
)

//go:generate autotrace

//autotrace:span
func main() {
	store := NewStore()
	srv := &http.Server{Handler: recoverPanics(NewHandler(NewService(store)))}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	base := "http://" + ln.Addr().String()
	results := drive(context.Background(), base)
	for _, r := range results {
		fmt.Fprintln(os.Stdout, r)
	}
}

// drive sends the example's requests: good orders, an unknown item (an
// error) and a corrupt one (a panic the server recovers from).
//
//autotrace:span
func drive(ctx context.Context, base string) []string {
	// The transport sends a W3C traceparent header, so the server's spans
	// join the client's trace.
	client := &http.Client{Timeout: 5 * time.Second, Transport: autohttp.Transport(http.DefaultTransport)}
	paths := []string{
		"/order?items=apple,pear,plum",
		"/order?items=apple,fig",
		"/order?items=apple,durian",  // unknown item: 404
		"/order?items=apple,corrupt", // store panics: 500
		"/order?items=pear,plum,apple,fig",
	}
	var out []string
	for _, p := range paths {
		out = append(out, get(ctx, client, base+p))
	}
	return out
}

//autotrace:span
func get(ctx context.Context, client *http.Client, url string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	return fmt.Sprintf("%s -> %s", url[len("http://"):], resp.Status)
}

// recoverPanics turns a panic in a handler into a 500. It is not
// instrumented: the panic passes through the instrumented functions below
// it unchanged and is recovered here.
func recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, fmt.Sprint("internal error: ", v), http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}
