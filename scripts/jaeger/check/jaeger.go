package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// What the Jaeger query service's HTTP API returns (/api/traces).
type jaegerResponse struct {
	Data []struct {
		TraceID   string                   `json:"traceID"`
		Spans     []jaegerSpan             `json:"spans"`
		Processes map[string]jaegerProcess `json:"processes"`
	} `json:"data"`
}

type jaegerSpan struct {
	TraceID       string `json:"traceID"`
	SpanID        string `json:"spanID"`
	OperationName string `json:"operationName"`
	References    []struct {
		RefType string `json:"refType"`
		TraceID string `json:"traceID"`
		SpanID  string `json:"spanID"`
	} `json:"references"`
	StartTime int64       `json:"startTime"` // µs
	Duration  int64       `json:"duration"`  // µs
	Tags      []jaegerTag `json:"tags"`
	Logs      []struct {
		Fields []jaegerTag `json:"fields"`
	} `json:"logs"`
	ProcessID string `json:"processID"`
	service   string
}

type jaegerTag struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

type jaegerProcess struct {
	ServiceName string `json:"serviceName"`
}

// fetch returns the spans Jaeger holds for service, by span id.
func fetch(query, service string) (map[string]*jaegerSpan, error) {
	u := query + "/api/traces?" + url.Values{
		"service": {service}, "limit": {"100000"}, "lookback": {"2h"},
	}.Encode()
	c := &http.Client{Timeout: 60 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	var r jaegerResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %v", u, err)
	}
	spans := map[string]*jaegerSpan{}
	for _, t := range r.Data {
		for i := range t.Spans {
			s := &t.Spans[i]
			s.service = t.Processes[s.ProcessID].ServiceName
			spans[s.SpanID] = s
		}
	}
	return spans, nil
}

// poll fetches until done says the spans are all there or wait has passed.
func poll(query, service string, done func(map[string]*jaegerSpan) bool, wait time.Duration) (map[string]*jaegerSpan, error) {
	deadline := time.Now().Add(wait)
	for {
		spans, err := fetch(query, service)
		if err == nil && done(spans) || time.Now().After(deadline) {
			return spans, err
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func (s *jaegerSpan) tag(key string) (any, bool) {
	for _, t := range s.Tags {
		if t.Key == key {
			return t.Value, true
		}
	}
	return nil, false
}

// parent returns the span id of the CHILD_OF reference, or "".
func (s *jaegerSpan) parent() string {
	for _, r := range s.References {
		if r.RefType == "CHILD_OF" {
			return r.SpanID
		}
	}
	return ""
}

// logField returns a field of an "exception" log.
func (s *jaegerSpan) logField(key string) string {
	for _, l := range s.Logs {
		for _, f := range l.Fields {
			if f.Key == key {
				return fmt.Sprint(f.Value)
			}
		}
	}
	return ""
}
