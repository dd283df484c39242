package cphtest_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	cphv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cph/v1/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/cphtest"
)

// A second project and account, for sharing: demo values, not secrets.
const projectB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

var credsB = cph.Credentials{AccessKey: "CPHTESTPROJECTBKEY01", SecretKey: "project-b-secret"}

// officialClientFor returns the official SDK's CPH client for project of
// srv, signing with creds.
func officialClientFor(t *testing.T, srv *cphtest.Server, project string, creds cph.Credentials) *cphv1.CphClient {
	t.Helper()
	cred, err := basic.NewCredentialsBuilder().
		WithAk(creds.AccessKey).
		WithSk(creds.SecretKey).
		WithProjectId(project).
		SafeBuild()
	require.NoError(t, err)
	hc, err := cphv1.CphClientBuilder().
		WithEndpoints([]string{srv.URL}).
		WithCredential(cred).
		SafeBuild()
	require.NoError(t, err)
	return cphv1.NewCphClient(hc)
}

// requireSDKError returns the service error in err, the official SDK's.
func requireSDKError(t *testing.T, err error) *sdkerr.ServiceResponseError {
	t.Helper()
	var sre *sdkerr.ServiceResponseError
	require.ErrorAs(t, err, &sre)
	return sre
}

// officialIDs lists the images of project, of image type imageType, with
// the official SDK's ListImages.
func officialIDs(t *testing.T, c *cphv1.CphClient, imageType string) []string {
	t.Helper()
	req := &model.ListImagesRequest{}
	if imageType != "" {
		req.ImageType = &imageType
	}
	resp, err := c.ListImages(req)
	require.NoError(t, err)
	require.NotNil(t, resp.ImageInfos)
	require.NotNil(t, resp.Total)
	ids := []string{}
	for _, img := range *resp.ImageInfos {
		ids = append(ids, *img.ImageId)
	}
	assert.Equal(t, int32(len(ids)), *resp.Total, "total, one page")
	return ids
}

// officialPhoneIDs lists project's phone images of image_type t with the
// official SDK's ListCloudPhoneImages.
func officialPhoneIDs(t *testing.T, c *cphv1.CphClient, imageType string) []string {
	t.Helper()
	resp, err := c.ListCloudPhoneImages(&model.ListCloudPhoneImagesRequest{ImageType: &imageType})
	require.NoError(t, err)
	require.NotNil(t, resp.PhoneImages)
	ids := []string{}
	for _, img := range *resp.PhoneImages {
		ids = append(ids, *img.ImageId)
	}
	return ids
}

// The sharing flow between two projects, driven with the official SDK's
// client: share from A, pending in B (not visible), accepted (visible as
// share in ListImages and ListPhoneImages), rejected (not visible), the
// owner removes the member, a member cannot delete the owner's image, and
// deleting the image ends its shares.
func TestOfficialSDK_SharingFlow(t *testing.T) {
	created := time.UnixMilli(1713320018058).UTC()
	// The server's clock, moved by hand; near now, since the server checks
	// X-Sdk-Date against it.
	clock := newTestClock()
	img := cph.Image{ID: "img-a1", Name: "golden", Version: "AOSP10", Status: cph.ImageStatusAvailable,
		SizeBytes: 5 << 30, DomainID: "domain-a", Created: created, Updated: created}
	srv := newServer(t,
		cphtest.WithCustomImages(img, cph.Image{ID: "img-a2", Name: "other"}),
		cphtest.WithClock(clock.now),
	)
	srv.AddProject(projectB, credsB)
	a := officialClientFor(t, srv, srv.ProjectID(), srv.Credentials())
	b := officialClientFor(t, srv, projectB, credsB)

	t.Run("owner lists its images", func(t *testing.T) {
		resp, err := a.ListImages(&model.ListImagesRequest{})
		require.NoError(t, err)
		require.Len(t, *resp.ImageInfos, 2)
		got := (*resp.ImageInfos)[0]
		assert.Equal(t, "img-a1", *got.ImageId)
		assert.Equal(t, "golden", *got.ImageName)
		assert.Equal(t, "AOSP10", *got.ImageVersion)
		assert.Equal(t, "private", *got.ImageType)
		assert.Equal(t, int32(1), *got.Status)
		assert.Equal(t, int64(5<<30), *got.ImageSize)
		assert.Equal(t, "domain-a", *got.DomainId)
		assert.Equal(t, srv.ProjectID(), *got.ProjectId)
		assert.Nil(t, got.SrcProjectId)
		assert.Equal(t, "1713320018058", *got.CreateTime)
		assert.Equal(t, "1713320018058", *got.UpdateTime)
		assert.Len(t, *resp.RequestId, 32)
	})
	require.Empty(t, officialIDs(t, b, ""), "B has none of its own")

	_, err := a.AddImageMember(&model.AddImageMemberRequest{ImageId: "img-a1",
		Body: &model.AddImageMemberRequestBody{Member: ptr(projectB)}})
	require.NoError(t, err)
	t.Run("pending: not visible to B", func(t *testing.T) {
		assert.Empty(t, officialIDs(t, b, ""))
		assert.Empty(t, officialIDs(t, b, "share"))
		assert.NotContains(t, officialPhoneIDs(t, b, "share"), "img-a1")
	})
	t.Run("the owner lists the member", func(t *testing.T) {
		resp, err := a.ListImageMembers(&model.ListImageMembersRequest{ImageId: "img-a1"})
		require.NoError(t, err)
		require.NotNil(t, resp.Members)
		require.Len(t, *resp.Members, 1)
		m := (*resp.Members)[0]
		assert.Equal(t, "img-a1", *m.ImageId)
		assert.Equal(t, projectB, *m.MemberId)
		assert.Equal(t, clock.now().UnixMilli(), *m.CreateTime)
		assert.Equal(t, clock.now().UnixMilli(), *m.UpdateTime)
	})

	accepted := model.GetUpdateImageMemberRequestBodyStatusEnum().ACCEPTED
	clock.advance(time.Minute) // the answer's update_time moves on
	_, err = b.UpdateImageMember(&model.UpdateImageMemberRequest{ImageId: "img-a1",
		Body: &model.UpdateImageMemberRequestBody{Status: accepted}})
	require.NoError(t, err)
	t.Run("accepted: B lists it as shared", func(t *testing.T) {
		resp, err := b.ListImages(&model.ListImagesRequest{ImageType: ptr("share")})
		require.NoError(t, err)
		require.Len(t, *resp.ImageInfos, 1)
		got := (*resp.ImageInfos)[0]
		assert.Equal(t, "img-a1", *got.ImageId)
		assert.Equal(t, "share", *got.ImageType)
		assert.Equal(t, srv.ProjectID(), *got.SrcProjectId)
		assert.Nil(t, got.ProjectId)
		assert.Equal(t, []string{"img-a1"}, officialIDs(t, b, ""))
		assert.Empty(t, officialIDs(t, b, "private"))
		src := srv.ProjectID()
		resp, err = b.ListImages(&model.ListImagesRequest{SrcProjectId: &src})
		require.NoError(t, err)
		assert.Len(t, *resp.ImageInfos, 1)

		assert.Equal(t, []string{"img-a1"}, officialPhoneIDs(t, b, "share"))
		assert.Contains(t, officialPhoneIDs(t, b, "all"), "img-a1")
		assert.NotContains(t, officialPhoneIDs(t, b, "private"), "img-a1")
		assert.NotContains(t, officialPhoneIDs(t, a, "all"), "img-a1", "the owner's phone images are its seeded ones")

		m, err := a.ListImageMembers(&model.ListImageMembersRequest{ImageId: "img-a1"})
		require.NoError(t, err)
		assert.Equal(t, clock.now().UnixMilli(), *(*m.Members)[0].UpdateTime)
		assert.Less(t, *(*m.Members)[0].CreateTime, *(*m.Members)[0].UpdateTime)
	})

	rejected := model.GetUpdateImageMemberRequestBodyStatusEnum().REJECTED
	_, err = b.UpdateImageMember(&model.UpdateImageMemberRequest{ImageId: "img-a1",
		Body: &model.UpdateImageMemberRequestBody{Status: rejected}})
	require.NoError(t, err)
	t.Run("rejected: not visible to B", func(t *testing.T) {
		assert.Empty(t, officialIDs(t, b, ""))
		assert.NotContains(t, officialPhoneIDs(t, b, "all"), "img-a1")
	})

	t.Run("a member cannot delete the owner's image", func(t *testing.T) {
		_, err := b.DeleteImage(&model.DeleteImageRequest{ImageId: "img-a1"})
		sre := requireSDKError(t, err)
		assert.Equal(t, http.StatusForbidden, sre.StatusCode)
		assert.Equal(t, cphtest.CodeNoPermission, sre.ErrorCode)
		assert.Len(t, srv.CustomImages(), 2, "still there")
	})
	t.Run("a member cannot list or add members", func(t *testing.T) {
		_, err := b.ListImageMembers(&model.ListImageMembersRequest{ImageId: "img-a1"})
		assert.Equal(t, http.StatusForbidden, requireSDKError(t, err).StatusCode)
		_, err = b.AddImageMember(&model.AddImageMemberRequest{ImageId: "img-a1",
			Body: &model.AddImageMemberRequestBody{Member: ptr("cccccccccccccccccccccccccccccccc")}})
		assert.Equal(t, http.StatusForbidden, requireSDKError(t, err).StatusCode)
	})

	t.Run("the owner removes the member", func(t *testing.T) {
		_, err := a.DeleteImageMember(&model.DeleteImageMemberRequest{ImageId: "img-a1", MemberId: projectB})
		require.NoError(t, err)
		resp, err := a.ListImageMembers(&model.ListImageMembersRequest{ImageId: "img-a1"})
		require.NoError(t, err)
		assert.Empty(t, *resp.Members)
		_, err = a.DeleteImageMember(&model.DeleteImageMemberRequest{ImageId: "img-a1", MemberId: projectB})
		sre := requireSDKError(t, err)
		assert.Equal(t, http.StatusNotFound, sre.StatusCode)
		assert.Equal(t, cphtest.CodeMemberNotFound, sre.ErrorCode)
		// No longer shared: B's delete is now an unknown image's.
		_, err = b.DeleteImage(&model.DeleteImageRequest{ImageId: "img-a1"})
		assert.Equal(t, http.StatusNotFound, requireSDKError(t, err).StatusCode)
	})

	t.Run("deleting the image ends its shares", func(t *testing.T) {
		_, err := a.AddImageMember(&model.AddImageMemberRequest{ImageId: "img-a1",
			Body: &model.AddImageMemberRequestBody{Member: ptr(projectB)}})
		require.NoError(t, err)
		_, err = b.UpdateImageMember(&model.UpdateImageMemberRequest{ImageId: "img-a1",
			Body: &model.UpdateImageMemberRequestBody{Status: accepted}})
		require.NoError(t, err)
		require.Equal(t, []string{"img-a1"}, officialIDs(t, b, ""))

		resp, err := a.DeleteImage(&model.DeleteImageRequest{ImageId: "img-a1"})
		require.NoError(t, err)
		assert.Len(t, *resp.RequestId, 32)
		assert.Equal(t, []string{"img-a2"}, officialIDs(t, a, ""))
		assert.Empty(t, officialIDs(t, b, ""))
		assert.NotContains(t, officialPhoneIDs(t, b, "all"), "img-a1")
		_, err = a.ListImageMembers(&model.ListImageMembersRequest{ImageId: "img-a1"})
		sre := requireSDKError(t, err)
		assert.Equal(t, http.StatusNotFound, sre.StatusCode)
		assert.Equal(t, cphtest.CodeImageNotFound, sre.ErrorCode)
		_, err = b.UpdateImageMember(&model.UpdateImageMemberRequest{ImageId: "img-a1",
			Body: &model.UpdateImageMemberRequestBody{Status: accepted}})
		assert.Equal(t, http.StatusNotFound, requireSDKError(t, err).StatusCode, "no share left to answer")
	})

	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Method+" "+r.Path)
	}
	assert.Contains(t, ops, "POST /v1/"+srv.ProjectID()+"/cloud-phone/images/img-a1/members")
	assert.Contains(t, ops, "PUT /v1/"+projectB+"/cloud-phone/images/img-a1/members")
	assert.Contains(t, ops, "DELETE /v1/"+srv.ProjectID()+"/cloud-phone/images/img-a1/members/"+projectB)
}

func ptr[T any](v T) *T { return &v }

// testClock is a server clock that a test moves by hand, safe for the
// server's goroutines.
type testClock struct {
	base   time.Time
	offset atomic.Int64 // nanoseconds
}

// newTestClock returns a clock at now, to the millisecond.
func newTestClock() *testClock { return &testClock{base: time.Now().Truncate(time.Millisecond)} }

func (c *testClock) now() time.Time          { return c.base.Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }
