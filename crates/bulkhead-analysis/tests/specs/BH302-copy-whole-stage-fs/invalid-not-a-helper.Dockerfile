# Only the images made to be copied whole are exempt: a lookalike name, or a full image copied whole
# through a stage, still ships whatever it holds.
FROM tonistiigi/xx-extra:1.0 AS helper
FROM busybox:1.36 AS tools

FROM golang:1.23-alpine
COPY --from=helper / /
COPY --from=tools / /
COPY --from=example.com/tonistiigi/xx:1.6.1 / /
