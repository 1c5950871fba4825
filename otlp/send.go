package otlp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps how long a Retry-After header makes a retry wait.
const maxRetryAfter = 5 * time.Second

// send posts one request, retrying network errors and retryable statuses,
// and returns how many spans the endpoint rejected.
func send(ctx context.Context, o Options, req *exportRequest, res *Result) (int, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return 0, err
	}
	wait := o.Backoff
	for attempt := 1; ; attempt++ {
		rejected, retryAfter, err := post(ctx, o, body)
		if err == nil || retryAfter < 0 || attempt >= o.Attempts {
			return rejected, err
		}
		res.Retries++
		d := max(wait, retryAfter)
		wait *= 2
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(d):
		}
	}
}

// post makes one attempt. retryAfter is negative when a failure must not
// be retried, else the least wait before retrying.
func post(ctx context.Context, o Options, body []byte) (rejected int, retryAfter time.Duration, err error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, o.Endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, -1, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("User-Agent", "autotrace-export")
	for k, v := range o.Headers {
		hr.Header.Set(k, v)
	}
	resp, err := o.Client.Do(hr)
	if err != nil {
		if ctx.Err() != nil {
			return 0, -1, err
		}
		return 0, 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode/100 == 2:
		return rejectedSpans(data), 0, nil
	case resp.StatusCode == 429 || resp.StatusCode == 502 || resp.StatusCode == 503 || resp.StatusCode == 504:
		return 0, retryAfterHeader(resp.Header.Get("Retry-After")), httpError(resp, data)
	}
	return 0, -1, httpError(resp, data)
}

func httpError(resp *http.Response, body []byte) error {
	msg := strings.TrimSpace(string(body))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	if msg == "" {
		return fmt.Errorf("%s", resp.Status)
	}
	return fmt.Errorf("%s: %s", resp.Status, msg)
}

// rejectedSpans reads partialSuccess.rejectedSpans from a response.
func rejectedSpans(body []byte) int {
	var r exportResponse
	if json.Unmarshal(body, &r) != nil || r.PartialSuccess == nil {
		return 0
	}
	switch v := r.PartialSuccess.RejectedSpans.(type) {
	case string:
		n, _ := strconv.Atoi(v)
		return n
	case float64:
		return int(v)
	}
	return 0
}

// retryAfterHeader parses a Retry-After in seconds, capped.
func retryAfterHeader(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, maxRetryAfter)
}
