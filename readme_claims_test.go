package cph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// README, Configuration: WithUserAgent is "appended to the default
// User-Agent: cph-go/<version> (at most 1 KiB, no control characters)",
// with the README's figure (the other tests use the package's constant).
func TestREADME_UserAgentAtMost1KiB(t *testing.T) {
	srv := cphtest.NewServer()
	defer srv.Close()

	longest := strings.Repeat("a", 1024)
	client, err := cph.NewClient(append(srv.ClientOptions(), cph.WithUserAgent(longest))...)
	require.NoError(t, err, "1 KiB is allowed")
	_, err = client.ListPhoneImages(context.Background())
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "cph-go/"+cph.Version+" "+longest, reqs[0].Header.Get("User-Agent"))

	for name, ua := range map[string]string{
		"1 KiB and a byte": strings.Repeat("a", 1025),
		"a control byte":   "my-svc/1.2\x01",
		"a tab":            "my-svc\t1.2",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := cph.NewClient(append(srv.ClientOptions(), cph.WithUserAgent(ua))...)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, cph.ErrInvalidParameter)
		})
	}
	assert.Len(t, srv.Requests(), 1, "nothing sent by the refused ones")
}
