// Command loadgen requests one URL over and over from a fixed number of
// connections for a bounded time (and a bounded count), and reports requests
// per second and latency. It is used by bench/portal.sh against loopback
// addresses only.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "", "URL to request (loopback only)")
	conc := flag.Int("c", 16, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "how long to run")
	max := flag.Int64("n", 2_000_000, "at most this many requests")
	flag.Parse()
	if *url == "" {
		fmt.Fprintln(os.Stderr, "usage: loadgen -url http://127.0.0.1:PORT/path [-c 16] [-d 10s]")
		os.Exit(2)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var count, errors, bytes atomic.Int64
	lat := make([][]time.Duration, *conc)
	deadline := time.Now().Add(*dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(deadline) && count.Add(1) <= *max {
				t := time.Now()
				resp, err := client.Get(*url)
				if err != nil {
					errors.Add(1)
					continue
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errors.Add(1)
				}
				bytes.Add(n)
				lat[w] = append(lat[w], time.Since(t))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) == 0 {
		fmt.Println("no responses")
		os.Exit(1)
	}
	p := func(q float64) time.Duration { return all[int(float64(len(all)-1)*q)] }
	fmt.Printf("%-40s %8.0f req/s  p50 %8s  p99 %8s  %d requests, %d errors, %.0f KB/response\n", *url, float64(len(all))/elapsed.Seconds(),
		p(.5).Round(time.Microsecond), p(.99).Round(time.Microsecond), len(all), errors.Load(), float64(bytes.Load())/float64(len(all))/1024)
}
