// Command load is the E1 benchmark's load generator: a fixed number of
// keep-alive clients send requests to a server on loopback for a fixed
// time and it prints the requests per second. It is bounded and stops by
// itself.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "", "URL to request")
	clients := flag.Int("c", 4, "concurrent clients")
	dur := flag.Duration("d", 3*time.Second, "how long to send requests")
	flag.Parse()
	tr := &http.Transport{MaxIdleConnsPerHost: *clients}
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	var ok, failed atomic.Int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				resp, err := client.Get(*url)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		fmt.Fprintf(os.Stderr, "load: %d requests failed\n", failed.Load())
		os.Exit(1)
	}
	fmt.Printf("%.0f\n", float64(ok.Load())/dur.Seconds())
}
