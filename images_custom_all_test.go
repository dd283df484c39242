package cph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedImages is a mocked ListImages over a list of image IDs that a test
// may change between pages: it answers the window offset..offset+limit of
// the list and its length as total, unless page says otherwise. It
// records the query of each request.
type pagedImages struct {
	mu      sync.Mutex
	ids     []string
	queries []string
	// before, when set, runs before request n (from 1) is answered, to
	// change the list.
	before func(p *pagedImages, n int)
	// page, when set, makes the answer of request n instead: its IDs and
	// total, or an HTTP status to fail with.
	page func(p *pagedImages, n, offset, limit int) (ids []string, total, status int)
}

func newPagedImages(t *testing.T, n int, opts ...Option) (*pagedImages, *Client) {
	t.Helper()
	p := &pagedImages{ids: imageIDs("img-", n)}
	c := newMockedClient(t, append([]Option{WithMaxAttempts(1)}, opts...)...)
	httpmock.RegisterResponder(http.MethodGet, `=~^`+customImagesURL, p.respond)
	return p, c
}

func imageIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = prefix + strconv.Itoa(i)
	}
	return ids
}

func (p *pagedImages) respond(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queries = append(p.queries, r.URL.RawQuery)
	n := len(p.queries)
	if p.before != nil {
		p.before(p, n)
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil {
		limit = 100
	}
	var ids []string
	total := len(p.ids)
	if p.page != nil {
		var status int
		ids, total, status = p.page(p, n, offset, limit)
		if status != 0 {
			return httpmock.NewStringResponse(status, `{"error_code":"CPS.0001","error_msg":"page failed"}`), nil
		}
	} else if offset < len(p.ids) {
		ids = p.ids[offset:min(offset+limit, len(p.ids))]
	}
	doc := struct {
		Images []map[string]string `json:"image_infos"`
		Total  int                 `json:"total"`
	}{Images: []map[string]string{}, Total: total}
	for _, id := range ids {
		doc.Images = append(doc.Images, map[string]string{"image_id": id})
	}
	body, _ := json.Marshal(doc)
	return httpmock.NewBytesResponse(200, body), nil
}

func (p *pagedImages) seenQueries() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.queries...)
}

// collectImages ranges over seq to the end, returning the IDs and errors it
// yielded.
func collectImages(seq func(func(Image, error) bool)) (ids []string, errs []error) {
	for img, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, img.ID)
	}
	return ids, errs
}

func TestAllImagesPages(t *testing.T) {
	tests := map[string]struct {
		images      int
		opts        []ListOption
		wantIDs     []string
		wantQueries []string
	}{
		"three pages of the default 100": {
			images:      250,
			wantIDs:     imageIDs("img-", 250),
			wantQueries: []string{"limit=100", "limit=100&offset=100", "limit=100&offset=200"},
		},
		"the caller's limit": {
			images:      20,
			opts:        []ListOption{WithLimit(7)},
			wantIDs:     imageIDs("img-", 20),
			wantQueries: []string{"limit=7", "limit=7&offset=7", "limit=7&offset=14"},
		},
		"an exact multiple stops at the total": {
			images:      20,
			opts:        []ListOption{WithLimit(10)},
			wantIDs:     imageIDs("img-", 20),
			wantQueries: []string{"limit=10", "limit=10&offset=10"},
		},
		"empty": {
			images:      0,
			wantQueries: []string{"limit=100"},
		},
		"the caller's offset is the start": {
			images:      40,
			opts:        []ListOption{WithOffset(30), WithLimit(5)},
			wantIDs:     imageIDs("img-", 40)[30:],
			wantQueries: []string{"limit=5&offset=30", "limit=5&offset=35"},
		},
		"filters on every page": {
			images:      3,
			opts:        []ListOption{WithImageType(ImageTypeShared), WithLimit(2)},
			wantIDs:     imageIDs("img-", 3),
			wantQueries: []string{"image_type=share&limit=2", "image_type=share&limit=2&offset=2"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, c := newPagedImages(t, tc.images)

			ids, errs := collectImages(c.AllImages(context.Background(), tc.opts...))

			assert.Empty(t, errs)
			assert.Equal(t, tc.wantIDs, ids)
			assert.Equal(t, tc.wantQueries, p.seenQueries())
		})
	}
}

// TestAllImagesEarlyBreak: breaking out of the loop sends no further
// request.
func TestAllImagesEarlyBreak(t *testing.T) {
	for _, tc := range []struct{ after, wantRequests int }{{1, 1}, {100, 1}, {101, 2}, {250, 3}} {
		t.Run(fmt.Sprintf("after %d", tc.after), func(t *testing.T) {
			p, c := newPagedImages(t, 1000)
			n := 0
			for _, err := range c.AllImages(context.Background()) {
				require.NoError(t, err)
				if n++; n == tc.after {
					break
				}
			}
			assert.Equal(t, tc.after, n)
			assert.Len(t, p.seenQueries(), tc.wantRequests)
		})
	}
}

// TestAllImagesFailingPage: a page that fails yields its error once, and
// the listing stops.
func TestAllImagesFailingPage(t *testing.T) {
	p, c := newPagedImages(t, 300)
	p.page = func(p *pagedImages, n, offset, limit int) ([]string, int, int) {
		if n == 2 {
			return nil, 0, http.StatusServiceUnavailable
		}
		return p.ids[offset:min(offset+limit, len(p.ids))], len(p.ids), 0
	}

	ids, errs := collectImages(c.AllImages(context.Background()))

	assert.Equal(t, imageIDs("img-", 100), ids, "the first page, then nothing")
	require.Len(t, errs, 1, "the error once")
	var e *APIError
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, opListImages, e.Operation)
	assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)
	assert.Len(t, p.seenQueries(), 2, "no request after the failure")
}

// TestAllImagesChangingTotal: the list may grow or shrink between pages;
// the listing follows the latest total, never yields an ID twice, and
// ends.
func TestAllImagesChangingTotal(t *testing.T) {
	tests := map[string]struct {
		images       int
		change       func(ids []string) []string // the list as request 2 finds it
		wantIDs      []string
		wantRequests int
	}{
		"grows at the end": {
			images:       150,
			change:       func(ids []string) []string { return append(ids, imageIDs("new-", 60)...) },
			wantIDs:      append(imageIDs("img-", 150), imageIDs("new-", 60)...),
			wantRequests: 3,
		},
		"shrinks below the offset": {
			images:       250,
			change:       func(ids []string) []string { return ids[:50] },
			wantIDs:      imageIDs("img-", 100),
			wantRequests: 2,
		},
		"shrinks to a short page": {
			images:       250,
			change:       func(ids []string) []string { return ids[:130] },
			wantIDs:      imageIDs("img-", 130),
			wantRequests: 2,
		},
		"grows at the front: the shifted IDs are skipped": {
			images:       150,
			change:       func(ids []string) []string { return append(imageIDs("front-", 3), ids...) },
			wantIDs:      imageIDs("img-", 150), // front-* came before the offset
			wantRequests: 2,
		},
		"removed at the front: the page skips some": {
			images:       150,
			change:       func(ids []string) []string { return ids[5:] },
			wantIDs:      append(imageIDs("img-", 100), imageIDs("img-", 150)[105:]...),
			wantRequests: 2,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, c := newPagedImages(t, tc.images)
			p.before = func(p *pagedImages, n int) {
				if n == 2 {
					p.ids = tc.change(p.ids)
				}
			}

			ids, errs := collectImages(c.AllImages(context.Background()))

			assert.Empty(t, errs)
			assert.Equal(t, tc.wantIDs, ids)
			assert.Len(t, p.seenQueries(), tc.wantRequests)
			assertUnique(t, ids)
		})
	}
}

func assertUnique(t *testing.T, ids []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range ids {
		assert.False(t, seen[id], "%s yielded twice", id)
		seen[id] = true
	}
}

// TestAllImagesOddPages: pages that do not keep to the limit or the total
// neither break the listing nor make it loop.
func TestAllImagesOddPages(t *testing.T) {
	tests := map[string]struct {
		page        func(p *pagedImages, n, offset, limit int) ([]string, int, int)
		opts        []ListOption
		wantIDs     []string
		wantQueries []string
	}{
		"a page longer than the limit": {
			opts: []ListOption{WithLimit(10)},
			page: func(p *pagedImages, n, offset, limit int) ([]string, int, int) {
				if n == 1 {
					return p.ids[:15], 30, 0 // 15 where 10 were asked
				}
				return p.ids[offset:min(offset+limit, 30)], 30, 0
			},
			wantIDs:     imageIDs("img-", 30),
			wantQueries: []string{"limit=10", "limit=10&offset=15", "limit=10&offset=25"},
		},
		"a service that repeats the same page": {
			page: func(p *pagedImages, n, offset, limit int) ([]string, int, int) {
				return p.ids[:limit], 1 << 30, 0
			},
			wantIDs:     imageIDs("img-", 100),
			wantQueries: []string{"limit=100", "limit=100&offset=100"},
		},
		"duplicates across pages": {
			opts: []ListOption{WithLimit(3)},
			page: func(p *pagedImages, n, offset, limit int) ([]string, int, int) {
				pages := [][]string{{"a", "b", "c"}, {"c", "d", "a"}, {"e"}}
				return pages[n-1], 7, 0
			},
			wantIDs:     []string{"a", "b", "c", "d", "e"},
			wantQueries: []string{"limit=3", "limit=3&offset=3", "limit=3&offset=6"},
		},
		"a total of 0 with a full page": {
			opts: []ListOption{WithLimit(2)},
			page: func(p *pagedImages, n, offset, limit int) ([]string, int, int) {
				return p.ids[offset : offset+2], 0, 0
			},
			wantIDs:     imageIDs("img-", 2),
			wantQueries: []string{"limit=2"},
		},
		"an offset at the API's largest": {
			opts: []ListOption{WithOffset(maxOffset - 1), WithLimit(2)},
			page: func(p *pagedImages, n, offset, limit int) ([]string, int, int) {
				return []string{"x" + strconv.Itoa(n), "y" + strconv.Itoa(n)}, int(min(int64(math.MaxInt), maxOffset+10)), 0
			},
			wantIDs:     []string{"x1", "y1"},
			wantQueries: []string{"limit=2&offset=2147483646"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, c := newPagedImages(t, 200)
			p.page = tc.page

			ids, errs := collectImages(c.AllImages(context.Background(), tc.opts...))

			assert.Empty(t, errs)
			assert.Equal(t, tc.wantIDs, ids)
			assert.Equal(t, tc.wantQueries, p.seenQueries())
		})
	}
}

// TestAllImagesBadOptions: a bad option is yielded once, as the only
// error, and nothing is sent.
func TestAllImagesBadOptions(t *testing.T) {
	for name, opt := range map[string]ListOption{
		"limit 0":     WithLimit(0),
		"public type": WithImageType(ImageTypePublic),
		"offset -1":   WithOffset(-1),
	} {
		t.Run(name, func(t *testing.T) {
			p, c := newPagedImages(t, 10)

			ids, errs := collectImages(c.AllImages(context.Background(), opt))

			assert.Empty(t, ids)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrInvalidParameter)
			assert.Regexp(t, `^cph: AllImages: invalid parameter: `, errs[0].Error())
			assert.Empty(t, p.seenQueries())
		})
	}
}

// TestAllImagesCancelled: a context that ends between pages is the next
// page's error, once.
func TestAllImagesCancelled(t *testing.T) {
	p, c := newPagedImages(t, 250)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ids []string
	var errs []error
	for img, err := range c.AllImages(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, img.ID)
		if len(ids) == 100 {
			cancel()
		}
	}
	assert.Len(t, ids, 100)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Len(t, p.seenQueries(), 1)
}

// TestAllImagesRangesAfresh: each range over the sequence lists from the
// start again.
func TestAllImagesRangesAfresh(t *testing.T) {
	p, c := newPagedImages(t, 5)
	seq := c.AllImages(context.Background())

	first, _ := collectImages(seq)
	second, _ := collectImages(seq)

	assert.Equal(t, imageIDs("img-", 5), first)
	assert.Equal(t, first, second)
	assert.Len(t, p.seenQueries(), 2)
}

// TestAllImagesConcurrentRanges: several ranges over one sequence may run
// at once, each listing everything (run with -race).
func TestAllImagesConcurrentRanges(t *testing.T) {
	_, c := newPagedImages(t, 30)
	seq := c.AllImages(context.Background(), WithLimit(4))
	got := make([][]string, 4)
	startEach(len(got), func(i int) { got[i], _ = collectImages(seq) })()
	for _, ids := range got {
		assert.Equal(t, imageIDs("img-", 30), ids)
	}
}
