package main

import (
	"context"
	"sync"
)

// Service is the business layer: it prices an order by looking up every
// item concurrently.
type Service struct {
	store *Store
}

func NewService(store *Store) *Service { return &Service{store: store} }

// The order's item count is recorded on the span: `autotrace report -by
// len(items)` shows how the time grows with it.
//
//autotrace:span attrs=len(items)
func (s *Service) Checkout(ctx context.Context, items []string) (int, error) {
	prices, err := s.lookupAll(ctx, items)
	if err != nil {
		return 0, err
	}
	return s.total(prices), nil
}

//autotrace:span
func (s *Service) lookupAll(ctx context.Context, items []string) ([]int, error) {
	prices := make([]int, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prices[i], errs[i] = s.store.Price(ctx, item)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return prices, nil
}

//autotrace:span
func (s *Service) total(prices []int) int {
	sum := 0
	for _, p := range prices {
		if p < 0 {
			panic("corrupt price in order")
		}
		sum += p
	}
	return sum
}
