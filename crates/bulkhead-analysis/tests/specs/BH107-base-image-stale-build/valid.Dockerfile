# A recent build (2026-11-20 on 2026-12-01), a base the registry was not asked about, and an image
# whose `created` is the Unix epoch (reproducible builds: distroless, ko, Nix), which says nothing.
FROM python:3.13-slim AS fresh
FROM alpine:3.22 AS unknown
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=fresh /usr/local/bin/python3 /python3
