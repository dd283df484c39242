package cph

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewClientRegionFromEnv: HUAWEICLOUD_SDK_REGION is the region when
// neither WithRegion nor WithEndpoint is given; the options win; an empty
// value is an unset one; an ill-formed one is an error naming the variable,
// reported with the other problems.
func TestNewClientRegionFromEnv(t *testing.T) {
	keys := map[string]string{envAccessKey: testAK, envSecretKey: testSK}
	with := func(extra map[string]string) map[string]string { return merge(keys, extra) }
	tests := map[string]struct {
		env          map[string]string
		opts         []Option
		wantRegion   string
		wantEndpoint string
		wantErr      []error // each must hold; none means NewClient succeeds
		notWant      []error
		wantIn       string // in the error's message
	}{
		"only the variable": {
			env:          with(map[string]string{envRegion: "ap-southeast-1"}),
			wantRegion:   "ap-southeast-1",
			wantEndpoint: "https://cph.ap-southeast-1.myhuaweicloud.com",
		},
		"surrounding white space ignored": {
			env:          with(map[string]string{envRegion: " cn-east-3\n"}),
			wantRegion:   "cn-east-3",
			wantEndpoint: "https://cph.cn-east-3.myhuaweicloud.com",
		},
		"a region unknown to Regions is used as given": {
			env:          with(map[string]string{envRegion: "xx-new-9"}),
			wantRegion:   "xx-new-9",
			wantEndpoint: "https://cph.xx-new-9.myhuaweicloud.com",
		},
		"the variable's endpoint override applies": {
			env:          with(map[string]string{envRegion: "cn-north-4", regionEndpointEnv("cn-north-4"): "https://proxy.example.com"}),
			wantRegion:   "cn-north-4",
			wantEndpoint: "https://proxy.example.com",
		},
		"both set: WithRegion wins": {
			env:          with(map[string]string{envRegion: "ap-southeast-1"}),
			opts:         []Option{WithRegion("cn-south-1")},
			wantRegion:   "cn-south-1",
			wantEndpoint: "https://cph.cn-south-1.myhuaweicloud.com",
		},
		"WithEndpoint wins: the variable is not read": {
			env:          with(map[string]string{envRegion: "ap-southeast-1"}),
			opts:         []Option{WithEndpoint("https://gw.example.com"), WithProjectID(testProjectID)},
			wantRegion:   "",
			wantEndpoint: "https://gw.example.com",
		},
		"WithEndpoint given: an ill-formed variable is not read": {
			env:          with(map[string]string{envRegion: "Not A Region"}),
			opts:         []Option{WithEndpoint("https://gw.example.com"), WithProjectID(testProjectID)},
			wantRegion:   "",
			wantEndpoint: "https://gw.example.com",
		},
		"WithRegion given: an ill-formed variable is not read": {
			env:          with(map[string]string{envRegion: "Not A Region"}),
			opts:         []Option{WithRegion("cn-north-4")},
			wantRegion:   "cn-north-4",
			wantEndpoint: "https://cph.cn-north-4.myhuaweicloud.com",
		},
		"WithRegion(\"\") is no region: the variable is read": {
			env:          with(map[string]string{envRegion: "la-south-2"}),
			opts:         []Option{WithRegion(""), WithEndpoint("")},
			wantRegion:   "la-south-2",
			wantEndpoint: "https://cph.la-south-2.myhuaweicloud.com",
		},
		"empty value is unset": {
			env:     with(map[string]string{envRegion: ""}),
			wantErr: []error{ErrMissingEndpoint},
			notWant: []error{ErrInvalidEndpoint},
		},
		"white space only is unset": {
			env:     with(map[string]string{envRegion: "  "}),
			wantErr: []error{ErrMissingEndpoint},
			notWant: []error{ErrInvalidEndpoint},
		},
		"ill-formed value": {
			env:     with(map[string]string{envRegion: "CN-NORTH-4"}),
			wantErr: []error{ErrInvalidEndpoint},
			notWant: []error{ErrMissingEndpoint, ErrMissingProjectID},
			wantIn:  `cph: NewClient: HUAWEICLOUD_SDK_REGION: invalid endpoint: region "CN-NORTH-4" is not a region ID`,
		},
		"ill-formed value reported with the other problems": {
			env:     map[string]string{envRegion: "cn.north.4"},
			opts:    []Option{WithMaxAttempts(0)},
			wantErr: []error{ErrInvalidEndpoint, ErrMissingCredentials, ErrInvalidParameter},
			notWant: []error{ErrMissingEndpoint, ErrMissingProjectID},
			wantIn:  envRegion,
		},
		"WithRegion refused: the variable does not stand in": {
			env:     with(map[string]string{envRegion: "cn-north-4"}),
			opts:    []Option{WithRegion("bad region")},
			wantErr: []error{ErrInvalidEndpoint},
			notWant: []error{ErrMissingEndpoint, ErrMissingProjectID},
			wantIn:  `region "bad region"`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			setEnv(t, tc.env, "")
			c, err := NewClient(tc.opts...)
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				assert.Nil(t, c)
				for _, w := range tc.wantErr {
					assert.ErrorIs(t, err, w)
				}
				for _, nw := range tc.notWant {
					assert.NotErrorIs(t, err, nw)
				}
				assert.Contains(t, err.Error(), tc.wantIn)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantRegion, c.Region())
			assert.Equal(t, tc.wantEndpoint, c.Endpoint())
		})
	}
}

// TestNewClientProjectIDFromEnv: HUAWEICLOUD_SDK_PROJECT_ID (the official
// SDK's name for it) is the project ID unless WithProjectID gives one; an
// empty value is an unset one.
func TestNewClientProjectIDFromEnv(t *testing.T) {
	const envProject = "fedcba9876543210fedcba9876543210"
	tests := map[string]struct {
		value string
		opts  []Option
		want  string
	}{
		"only the variable":   {value: envProject, want: envProject},
		"both: option wins":   {value: envProject, opts: []Option{WithProjectID(testProjectID)}, want: testProjectID},
		"only the option":     {opts: []Option{WithProjectID(testProjectID)}, want: testProjectID},
		"empty value = unset": {value: "", want: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			setEnv(t, map[string]string{envAccessKey: testAK, envSecretKey: testSK, envRegion: testRegion, envProjectID: tc.value}, "")
			c, err := NewClient(tc.opts...)
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.ProjectID())
		})
	}
}

// TestNewClientNoOptions: with the credentials and HUAWEICLOUD_SDK_REGION
// in the environment, NewClient() with no options makes a client whose
// first call discovers the project ID and lists the images; ProjectID is
// "" until then, and the discovered one after. The region's endpoints are
// pointed at a loopback fake by their variables.
func TestNewClientNoOptions(t *testing.T) {
	cloud := newFakeCloud(t)
	setEnv(t, map[string]string{
		envAccessKey:                  testAK,
		envSecretKey:                  testSK,
		envRegion:                     testRegion,
		regionEndpointEnv(testRegion): cloud.URL,
		envIAMEndpoint:                cloud.URL,
	}, "")

	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, testRegion, c.Region())
	assert.Equal(t, "", c.ProjectID(), "nothing discovered before the first call")
	assert.Empty(t, cloud.Requests(), "NewClient sends nothing")

	require.NoError(t, listOnce(c))
	assert.Equal(t, testProjectID, c.ProjectID(), "the discovered project ID")
	assert.Len(t, cloud.requests("/v3/projects"), 1)
	assert.Len(t, cloud.requests(imagesPath(testProjectID)), 1)
}
