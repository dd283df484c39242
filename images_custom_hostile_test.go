package cph

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The findings of probing image management as an outsider would, against
// hostile answers and extreme inputs: each test failed before its fix.

// TestAllImagesEndlessListingStops: a service whose every page is full of
// images not seen before, with a total that never lets the listing end,
// cannot keep AllImages requesting for ever (2^31/limit requests at the
// API's largest offset): it stops after maxAllImages images, and says so
// with one error wrapping ErrInvalidResponse, after every image it read.
func TestAllImagesEndlessListingStops(t *testing.T) {
	tests := map[string]struct {
		total, pageLen int
		wantRequests   int
	}{
		"total at the API's largest": {total: maxOffset, pageLen: 100, wantRequests: maxAllImages / 100},
		"total of MaxInt64":          {total: int(^uint(0) >> 1), pageLen: 100, wantRequests: maxAllImages / 100},
		// 150 where 100 were asked: the cap falls inside page 667.
		"pages longer than the limit": {total: maxOffset, pageLen: 150, wantRequests: maxAllImages/150 + 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, c := newPagedImages(t, 0)
			p.page = func(_ *pagedImages, n, _, _ int) ([]string, int, int) {
				return imageIDs("p"+strconv.Itoa(n)+"-", tc.pageLen), tc.total, 0
			}

			ids, errs := collectImages(c.AllImages(context.Background()))

			assert.Len(t, ids, maxAllImages)
			assertUnique(t, ids)
			require.Len(t, errs, 1)
			require.ErrorIs(t, errs[0], ErrInvalidResponse)
			assert.True(t, strings.HasPrefix(errs[0].Error(), "cph: AllImages: "), errs[0].Error())
			assert.Contains(t, errs[0].Error(), strconv.Itoa(maxAllImages))
			assert.Len(t, p.seenQueries(), tc.wantRequests)
		})
	}
}

// TestAllImagesTotalRunningAhead: a service whose total keeps one page
// ahead of the offset, with new images on every page, is read up to the
// first page's total and one page more (images added while the listing
// runs may be missed, as AllImages says), not for ever.
func TestAllImagesTotalRunningAhead(t *testing.T) {
	p, c := newPagedImages(t, 0)
	p.page = func(_ *pagedImages, n, offset, limit int) ([]string, int, int) {
		return imageIDs("p"+strconv.Itoa(n)+"-", limit), offset + limit + 1, 0
	}

	ids, errs := collectImages(c.AllImages(context.Background(), WithLimit(10)))

	assert.Empty(t, errs)
	// The first total is 11, so the listing ends at offset 21: the page
	// at 20 is the last.
	assert.Len(t, ids, 30)
	assert.Equal(t, []string{"limit=10", "limit=10&offset=10", "limit=10&offset=20"}, p.seenQueries())
}

// TestAllImagesKeepsImagesWithoutID: images that came without an ID cannot
// be told apart, so AllImages yields each of them, as ListImages returns
// them, rather than keeping only the first; they do not keep the listing
// going on their own.
func TestAllImagesKeepsImagesWithoutID(t *testing.T) {
	tests := map[string]struct {
		pages       [][]string
		wantIDs     []string
		wantQueries []string
	}{
		"among others": {
			pages:       [][]string{{"", "a", ""}, {"b", "", "c"}, {}},
			wantIDs:     []string{"", "a", "", "b", "", "c"},
			wantQueries: []string{"limit=3", "limit=3&offset=3", "limit=3&offset=6"},
		},
		"a page of none but them ends the listing": {
			pages:       [][]string{{"a", "b", "c"}, {"", "", ""}, {"d"}},
			wantIDs:     []string{"a", "b", "c", "", "", ""},
			wantQueries: []string{"limit=3", "limit=3&offset=3"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, c := newPagedImages(t, 0)
			p.page = func(_ *pagedImages, n, _, _ int) ([]string, int, int) {
				return tc.pages[n-1], 100, 0
			}

			ids, errs := collectImages(c.AllImages(context.Background(), WithLimit(3)))

			assert.Empty(t, errs)
			assert.Equal(t, tc.wantIDs, ids)
			assert.Equal(t, tc.wantQueries, p.seenQueries())
		})
	}
}
