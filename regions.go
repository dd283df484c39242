package cph

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// isRegionID reports whether s has the shape of a Huawei Cloud region ID:
// lower-case words joined by '-', the last one a number ("cn-north-4",
// "ap-southeast-1", "ru-northwest-2").
func isRegionID(s string) bool {
	parts := strings.Split(s, "-")
	if len(s) > 64 || len(parts) < 2 {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		last := i == len(parts)-1
		for j := 0; j < len(p); j++ {
			c := p[j]
			digit := '0' <= c && c <= '9'
			lower := 'a' <= c && c <= 'z'
			if last && !digit || !last && !lower && !(i > 0 && digit) {
				return false
			}
		}
	}
	return true
}

// envRegion names the variable that gives the region when neither
// WithRegion nor WithEndpoint is given, as the official SDK's tools read it.
const envRegion = "HUAWEICLOUD_SDK_REGION"

// regionFromEnv sets cfg's region from HUAWEICLOUD_SDK_REGION when no
// option gave a region or an endpoint, or refused one (its own error says
// it). An empty variable is an unset one; an ill-formed one is an error
// wrapping ErrInvalidEndpoint that names the variable.
func (cfg *config) regionFromEnv() error {
	if cfg.region != "" || cfg.endpoint != "" || cfg.endpointRefused {
		return nil
	}
	region := lookupEnv(envRegion)
	if region == "" {
		return nil
	}
	if !isRegionID(region) {
		cfg.endpointRefused = true
		return fmt.Errorf("%s: %w: region %q is not a region ID such as \"cn-north-4\"", envRegion, ErrInvalidEndpoint, region)
	}
	cfg.region = region
	return nil
}

// regionEndpoint returns the CPH endpoint of a region.
func regionEndpoint(region string) string {
	return "https://cph." + region + ".myhuaweicloud.com"
}

// parseEndpoint checks that raw is an absolute http or https URL with a host
// and no user information, query or fragment, and returns it without a
// trailing slash.
func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %q is not a URL", ErrInvalidEndpoint, raw)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%w: %q is not an absolute http(s) URL", ErrInvalidEndpoint, u.Redacted())
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("%w: %q has no host", ErrInvalidEndpoint, u.Redacted())
	case u.User != nil:
		return nil, fmt.Errorf("%w: %q carries user information; give credentials with WithCredentials", ErrInvalidEndpoint, u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("%w: %q has a query or fragment", ErrInvalidEndpoint, u.Redacted())
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%w: %q has a bad port", ErrInvalidEndpoint, u.Redacted())
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// knownRegions are the regions where CPH is offered.
var knownRegions = []string{
	"ru-northwest-2", "ap-southeast-3", "ap-southeast-1", "cn-north-4", "cn-south-1",
	"cn-southwest-2", "cn-east-3", "cn-east-2", "cn-north-9", "la-south-2",
	"la-north-2", "af-north-1", "cn-east-4",
}

// Regions returns the IDs of the regions where CPH is known to be offered,
// in a new slice. WithRegion accepts any well-formed region ID, not only
// these, so a new region needs no new release.
func Regions() []string {
	return append([]string(nil), knownRegions...)
}

// envRegionEndpointPrefix starts the name of the variable that overrides
// the CPH endpoint of a region.
const envRegionEndpointPrefix = "HUAWEICLOUD_SDK_REGION_CPH_"

// regionEndpointEnv names the variable that overrides the endpoint of
// region, as in the official SDK:
// HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4 for "cn-north-4".
func regionEndpointEnv(region string) string {
	return envRegionEndpointPrefix + strings.ToUpper(strings.ReplaceAll(region, "-", "_"))
}

// endpointForRegion returns the CPH endpoint of region: the first URL of
// its variable, if set (the official SDK allows a comma-separated list),
// with the variable's name; else https://cph.{region}.myhuaweicloud.com.
func endpointForRegion(region string) (endpoint, from string) {
	name := regionEndpointEnv(region)
	if v := lookupEnv(name); v != "" {
		first, _, _ := strings.Cut(v, ",")
		return strings.TrimSpace(first), name
	}
	return regionEndpoint(region), ""
}

// noteUnknownRegion returns err, a failed attempt's error, with a note
// that the client's region is not one of Regions (and which are) when err
// is a DNS lookup failure (a *net.DNSError, still found by errors.As) of a
// host made from that region: cph.{region}.myhuaweicloud.com or
// iam.{region}.myhuaweicloud.com, the hosts of its endpoints unless
// WithEndpoint, WithIAMEndpoint or a variable names others. Else it
// returns err unchanged.
func (c *Client) noteUnknownRegion(err error) error {
	var dnsErr *net.DNSError
	if c.region == "" || slices.Contains(knownRegions, c.region) || !errors.As(err, &dnsErr) {
		return err
	}
	host := strings.TrimSuffix(dnsErr.Name, ".")
	suffix := "." + c.region + ".myhuaweicloud.com"
	if !strings.EqualFold(host, "cph"+suffix) && !strings.EqualFold(host, "iam"+suffix) {
		return err
	}
	return fmt.Errorf("%w (region %q is not a known CPH region; the known ones are %s)",
		err, c.region, strings.Join(knownRegions, ", "))
}
