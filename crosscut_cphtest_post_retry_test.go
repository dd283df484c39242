package cph_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// TestCphtestPostNotResentAfterTimeout: an attempt that timed out after
// sending is retried for a GET, a PUT and a DELETE, but an AddImageMember
// (a POST the service may have acted on) is returned at once.
func TestCphtestPostNotResentAfterTimeout(t *testing.T) {
	calls := map[string]struct {
		asB          bool // called by the member project
		call         func(c *cph.Client) error
		wantRequests int
	}{
		"ListImages": {call: func(c *cph.Client) error {
			_, err := c.ListImages(context.Background())
			return err
		}, wantRequests: 2},
		"DeleteImage": {call: func(c *cph.Client) error {
			_, err := c.DeleteImage(context.Background(), "img-1")
			return err
		}, wantRequests: 2},
		"UpdateImageMember": {asB: true, call: func(c *cph.Client) error {
			_, err := c.UpdateImageMember(context.Background(), "img-1", cph.MemberAccepted)
			return err
		}, wantRequests: 2},
		"DeleteImageMember": {call: func(c *cph.Client) error {
			_, err := c.DeleteImageMember(context.Background(), "img-1", projectB)
			return err
		}, wantRequests: 2},
		"AddImageMember": {call: func(c *cph.Client) error {
			_, err := c.AddImageMember(context.Background(), "img-1", "0c3d4e5f60718293a4b5c6d7e8f90123")
			return err
		}, wantRequests: 1},
	}
	for op, tc := range calls {
		t.Run(op, func(t *testing.T) {
			srv := cphtest.NewServer(cphtest.WithCustomImages(cph.Image{ID: "img-1"}))
			defer srv.Close()
			srv.AddProject(projectB, credsB)
			_, err := newCphtestClient(t, srv).AddImageMember(context.Background(), "img-1", projectB)
			require.NoError(t, err)
			srv.ResetRequests()
			project := srv.ProjectID()
			if tc.asB {
				project = projectB
			}
			c := newCphtestClientFor(t, srv, project, cph.WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}))
			srv.InjectFault(1, cphtest.Fault{Operation: op, Delay: time.Minute}) // cut short by the client's timeout: never acted on

			err = tc.call(c)

			assert.Len(t, srv.Requests(), tc.wantRequests)
			if tc.wantRequests == 2 {
				assert.NoError(t, err, "retried past the timeout")
				return
			}
			var ne net.Error
			require.True(t, errors.As(err, &ne), "%v", err)
			assert.True(t, ne.Timeout())
			assert.Contains(t, err.Error(), "cph: AddImageMember: after 1 attempt")
		})
	}
}

// TestCphtestPostResentAfterClockSkew: a POST the gateway refused as
// signed too far from its clock never reached the service, so it is
// resent once, signed with the gateway's time, and succeeds.
func TestCphtestPostResentAfterClockSkew(t *testing.T) {
	srv := cphtest.NewServer(
		cphtest.WithCustomImages(cph.Image{ID: "img-1"}),
		cphtest.WithClock(func() time.Time { return time.Now().Add(time.Hour) }),
	)
	defer srv.Close()
	c := newCphtestClient(t, srv)

	out, err := c.AddImageMember(context.Background(), "img-1", projectB)

	require.NoError(t, err)
	assert.NotEmpty(t, out.RequestID)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, []string{http.MethodPost, http.MethodPost}, []string{reqs[0].Method, reqs[1].Method})
	members, err := c.ListImageMembers(context.Background(), "img-1")
	require.NoError(t, err)
	require.Len(t, members.Members, 1)
	assert.Equal(t, projectB, members.Members[0].ProjectID)
}
