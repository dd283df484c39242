package sigv

import (
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkVerify verifies our client's ListPhoneImages request as cphtest
// receives it.
func BenchmarkVerify(b *testing.B) {
	query := url.Values{"image_type": {"public"}}
	r, err := http.NewRequest(http.MethodGet, "https://127.0.0.1:8443/v1/p1/cloud-phone/phone-images?"+query.Encode(), nil)
	if err != nil {
		b.Fatal(err)
	}
	auth, err := Sign(HMACSHA256, Request{
		Method: r.Method, Host: r.URL.Host, Path: r.URL.Path, Query: query,
		Headers: []Header{{"Host", r.URL.Host}, {HeaderDate, testDate}, {"X-Project-Id", "p1"}},
	}, testAK, testSK)
	if err != nil {
		b.Fatal(err)
	}
	r.Host = r.URL.Host
	r.Header.Set(HeaderDate, testDate)
	r.Header.Set("X-Project-Id", "p1")
	r.Header.Set(HeaderAuthorization, auth)
	a, err := ParseAuthorization(auth)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Verify(r, a, testSK); err != nil {
			b.Fatal(err)
		}
	}
}
