package cph

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	sdkcph "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1"
	sdkmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1/model"

	"github.com/cph-go/cph/internal/benchdata"
	"github.com/cph-go/cph/internal/bufpool"
	"github.com/cph-go/cph/internal/sigv"
)

// The benchmarks run every contender against one loopback server that
// replays a precomputed response, in one process, each through its own
// HTTP client and kept-alive connection, so that only the ratios between
// them matter:
//
//	client=cph       this package's ListPhoneImages
//	client=sdk       the official SDK's CphClient.ListCloudPhoneImages
//	client=floor     bare net/http, the same headers signed once beforehand
//	                 (no signing work), decoded with encoding/json
//	client=transfer  the floor's GET with the body copied to io.Discard
//	                 (10,000 images only; on the floor's connection)
//
// benchmarks/README.md shows a run and how to reproduce it:
//
//	go test -run '^$' -bench 'ListPhoneImages|Sign' -count 6 . | tee bench.txt
//	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -filter '.name:ListPhoneImages' -col /client bench.txt

const (
	benchProjectID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	benchAK        = "BENCHACCESSKEY0000001"
	benchSK        = "benchSecretKey0000000000000000000000001"
	benchImages    = benchdata.LargeImages
)

// replayBody is one response the replay server sends.
type replayBody struct {
	data          []byte
	contentLength []string
}

// replayServer answers every request with the current body, headers
// precomputed, so that it does the same work for every contender.
type replayServer struct {
	*httptest.Server
	body atomic.Pointer[replayBody]
}

var (
	replayContentType = []string{"application/json"}
	replayRequestID   = []string{"5aac6ab146ba76e5b12a3d00a03a9869"}
)

func newReplayServer(tb testing.TB) *replayServer {
	s := &replayServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		b := s.body.Load()
		h := w.Header()
		h["Content-Type"] = replayContentType
		h["Content-Length"] = b.contentLength
		h["X-Request-Id"] = replayRequestID
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b.data)
	}))
	tb.Cleanup(s.Close)
	return s
}

func (s *replayServer) replay(data []byte) {
	s.body.Store(&replayBody{data: data, contentLength: []string{strconv.Itoa(len(data))}})
}

// benchClient returns this package's client for the replay server.
func benchClient(tb testing.TB, url string) *Client {
	tb.Helper()
	c, err := NewClient(WithEndpoint(url), WithProjectID(benchProjectID),
		WithCredentials(Credentials{AccessKey: benchAK, SecretKey: benchSK}))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// sdkClient returns the official SDK's CPH client for the replay server.
func sdkClient(tb testing.TB, url string) *sdkcph.CphClient {
	tb.Helper()
	creds, err := basic.NewCredentialsBuilder().WithAk(benchAK).WithSk(benchSK).WithProjectId(benchProjectID).SafeBuild()
	if err != nil {
		tb.Fatal(err)
	}
	hc, err := sdkcph.CphClientBuilder().WithEndpoints([]string{url}).WithCredential(creds).SafeBuild()
	if err != nil {
		tb.Fatal(err)
	}
	return sdkcph.NewCphClient(hc)
}

// floorRequest returns the URL and the header set this package's client
// sends, signed once: the floor contenders send it as is, doing none of
// the signing work.
func floorRequest(tb testing.TB, base string) (string, http.Header) {
	tb.Helper()
	u := base + "/v1/" + benchProjectID + "/cloud-phone/phone-images"
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("User-Agent", "cph-go/"+Version)
	req.Header.Set("Accept", "application/json")
	req.Header.Set(headerProjectID, benchProjectID)
	if _, err := sign(req, sigv.HMACSHA256, Credentials{AccessKey: benchAK, SecretKey: benchSK}, time.Now(), nil); err != nil {
		tb.Fatal(err)
	}
	return u, req.Header
}

// floorGet sends the precomputed request with a bare net/http client.
func floorGet(ctx context.Context, hc *http.Client, u string, h http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header = h
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp, nil
}

func BenchmarkListPhoneImages(b *testing.B) {
	srv := newReplayServer(b)
	ctx := context.Background()
	cases := []struct {
		name   string
		body   []byte
		images int
	}{
		{"images=3", sampleBody, 3},
		{"images=10000", benchdata.Large(), benchImages},
	}
	client := benchClient(b, srv.URL)
	sdk := sdkClient(b, srv.URL)
	floorHC := &http.Client{Transport: &http.Transport{}}
	b.Cleanup(floorHC.CloseIdleConnections)
	u, header := floorRequest(b, srv.URL)
	for _, tc := range cases {
		b.Run(tc.name+"/client=cph", func(b *testing.B) {
			srv.replay(tc.body)
			benchCall(b, client, tc.images)
		})
		b.Run(tc.name+"/client=sdk", func(b *testing.B) {
			srv.replay(tc.body)
			b.ReportAllocs()
			for b.Loop() {
				out, err := sdk.ListCloudPhoneImages(&sdkmodel.ListCloudPhoneImagesRequest{})
				if err != nil {
					b.Fatal(err)
				}
				if out.PhoneImages == nil || len(*out.PhoneImages) != tc.images {
					b.Fatalf("got %v images, want %d", out.PhoneImages, tc.images)
				}
			}
		})
		b.Run(tc.name+"/client=floor", func(b *testing.B) {
			srv.replay(tc.body)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := floorGet(ctx, floorHC, u, header)
				if err != nil {
					b.Fatal(err)
				}
				var out listPhoneImagesBody
				err = json.NewDecoder(resp.Body).Decode(&out)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil {
					b.Fatal(err)
				}
				if len(out.PhoneImages) != tc.images {
					b.Fatalf("got %d images, want %d", len(out.PhoneImages), tc.images)
				}
			}
		})
		if tc.images < benchImages {
			continue
		}
		b.Run(tc.name+"/client=transfer", func(b *testing.B) {
			srv.replay(tc.body)
			benchTransfer(b, floorHC, u, header, len(tc.body))
		})
	}
}

// BenchmarkBreakdown splits this client's 10,000-image call into parts, each
// part measured alone, next to the whole call and to the transfer-only
// floor (here on a connection of its own):
//
//	part=call      ListPhoneImages, as client=cph above
//	part=read      the same signed request, the body read into its pooled
//	               buffer and given back, nothing decoded
//	part=decode    decoding that body, as BenchmarkDecode
//	part=result    the result alone, nothing parsed: a new slice of
//	               10,000 images filled with constant strings, the least
//	               any decoder returning []PhoneImage pays (dropped, as
//	               part=decode drops its result)
//	part=transfer  the bare GET, body copied to io.Discard, on a fresh
//	               connection only ever read this way: the kernel keeps its
//	               receive buffer smaller than the body, so this floor is
//	               slower than client=transfer's (see benchmarks/README.md)
func BenchmarkBreakdown(b *testing.B) {
	srv := newReplayServer(b)
	body := benchdata.Large()
	srv.replay(body)
	ctx := context.Background()
	client := benchClient(b, srv.URL)
	transferHC := &http.Client{Transport: &http.Transport{}}
	b.Cleanup(transferHC.CloseIdleConnections)
	u, header := floorRequest(b, srv.URL)
	b.Run("part=call", func(b *testing.B) {
		benchCall(b, client, benchImages)
	})
	b.Run("part=read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := client.do(ctx, listPhoneImagesCall(listParams{}))
			if err != nil {
				b.Fatal(err)
			}
			if len(resp.body) != len(body) {
				b.Fatalf("read %d bytes, want %d", len(resp.body), len(body))
			}
			bufpool.Release(resp.body)
		}
	})
	b.Run("part=decode", func(b *testing.B) {
		benchDecode(b, body)
	})
	b.Run("part=result", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			images := make([]PhoneImage, benchImages)
			for i := range images {
				img := &images[i]
				img.ID = "0fe9a5995750f755c7a41f3cca729391"
				img.Name = "AOSP"
				img.OSType = "aosp"
				img.OSName = "Android10"
				img.Visibility = VisibilityPublic
				img.Label = LabelCloudGame
			}
			if images[benchImages-1].ID == "" {
				b.Fatal("the last image was not filled")
			}
		}
	})
	b.Run("part=transfer", func(b *testing.B) {
		benchTransfer(b, transferHC, u, header, len(body))
	})
}

// benchCall measures client's ListPhoneImages, which must return images.
func benchCall(b *testing.B, client *Client, images int) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := client.ListPhoneImages(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(out.Images) != images {
			b.Fatalf("got %d images, want %d", len(out.Images), images)
		}
	}
}

// benchTransfer measures the bare GET of u with header, its body of size
// bytes copied to io.Discard.
func benchTransfer(b *testing.B, hc *http.Client, u string, header http.Header, size int) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := floorGet(ctx, hc, u, header)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if n != int64(size) {
			b.Fatalf("read %d bytes, want %d", n, size)
		}
	}
}

// benchDecode measures this package's decoder on body.
func benchDecode(b *testing.B, body []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeListPhoneImages(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSign measures the signing of one request with the core signer,
// the one piece of work the floor does not do.
func BenchmarkSign(b *testing.B) {
	creds := Credentials{AccessKey: benchAK, SecretKey: benchSK}
	req, err := http.NewRequest(http.MethodGet, "https://cph.cn-north-4.myhuaweicloud.com/v1/"+benchProjectID+"/cloud-phone/phone-images", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set(headerProjectID, benchProjectID)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sign(req, sigv.HMACSHA256, creds, now, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode compares the decoders alone on both responses.
func BenchmarkDecode(b *testing.B) {
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"images=3", sampleBody},
		{"images=10000", benchdata.Large()},
	} {
		b.Run(tc.name+"/decoder=cph", func(b *testing.B) {
			benchDecode(b, tc.body)
		})
		b.Run(tc.name+"/decoder=encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.body)))
			for b.Loop() {
				if _, err := decodeListPhoneImagesStd(tc.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
