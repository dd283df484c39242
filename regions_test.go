package cph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegions(t *testing.T) {
	want := []string{
		"ru-northwest-2", "ap-southeast-3", "ap-southeast-1", "cn-north-4", "cn-south-1",
		"cn-southwest-2", "cn-east-3", "cn-east-2", "cn-north-9", "la-south-2",
		"la-north-2", "af-north-1", "cn-east-4",
	}
	got := Regions()
	assert.Equal(t, want, got)
	for _, r := range got {
		assert.True(t, isRegionID(r), r)
	}
	got[0] = "changed"
	assert.Equal(t, want, Regions(), "callers get a copy")
}

func TestRegionEndpointEnv(t *testing.T) {
	tests := map[string]struct {
		region string
		env    map[string]string
		opts   []Option
		want   string
		errIn  string // part of NewClient's error; empty: no error
	}{
		"standard pattern":         {region: "cn-north-4", want: "https://cph.cn-north-4.myhuaweicloud.com"},
		"a region not in the list": {region: "xx-newregion-7", want: "https://cph.xx-newregion-7.myhuaweicloud.com"},
		"variable overrides": {
			region: "cn-north-4",
			env:    map[string]string{"HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4": "https://cph.internal.example.com/"},
			want:   "https://cph.internal.example.com",
		},
		"first of a list": {
			region: "ap-southeast-1",
			env:    map[string]string{"HUAWEICLOUD_SDK_REGION_CPH_AP_SOUTHEAST_1": " https://a.example.com , https://b.example.com"},
			want:   "https://a.example.com",
		},
		"another region's variable is ignored": {
			region: "cn-north-4",
			env:    map[string]string{"HUAWEICLOUD_SDK_REGION_CPH_CN_EAST_3": "https://east.example.com"},
			want:   "https://cph.cn-north-4.myhuaweicloud.com",
		},
		"WithEndpoint wins": {
			region: "cn-north-4",
			env:    map[string]string{"HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4": "https://cph.internal.example.com"},
			opts:   []Option{WithEndpoint("https://proxy.example.com")},
			want:   "https://proxy.example.com",
		},
		"bad value": {
			region: "cn-north-4",
			env:    map[string]string{"HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4": "cph.internal.example.com"},
			errIn:  "cph: NewClient: HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4: invalid endpoint",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			opts := append([]Option{WithRegion(tc.region), WithProjectID(testProjectID), WithCredentials(testCreds)}, tc.opts...)
			c, err := NewClient(opts...)
			if tc.errIn != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidEndpoint)
				assert.True(t, strings.HasPrefix(err.Error(), tc.errIn), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Endpoint())
			assert.Equal(t, tc.region, c.Region())
		})
	}
}

func TestRegionEndpointEnvName(t *testing.T) {
	assert.Equal(t, "HUAWEICLOUD_SDK_REGION_CPH_RU_NORTHWEST_2", regionEndpointEnv("ru-northwest-2"))
}
