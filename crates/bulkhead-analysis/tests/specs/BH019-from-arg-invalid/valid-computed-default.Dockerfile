# Regression (corpus: moby): a default computed from TARGETPLATFORM is not known, so not "empty".
ARG DELVE_SUPPORTED=${TARGETPLATFORM#linux/amd64}
ARG DELVE_SUPPORTED=${DELVE_SUPPORTED:-"supported"}
FROM scratch AS delve-supported
FROM scratch AS delve-unsupported
FROM delve-${DELVE_SUPPORTED} AS delve
