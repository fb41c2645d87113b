# Without `trusted-registries` the rule has nothing to check against.
FROM ghcr.io/acme/base:1.4
