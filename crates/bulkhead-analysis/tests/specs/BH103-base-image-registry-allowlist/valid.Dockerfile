ARG ENGINE_VERSION
FROM registry.example.com/mirror/golang:1.23 AS build
COPY --from=123456789012.dkr.ecr.eu-west-1.amazonaws.com/tools:1 /bin/tool /bin/tool
FROM python:3.12-slim AS test
# Stage names and scratch are never flagged.
FROM build AS package
COPY --from=test /x /x
FROM scratch
COPY --from=package /x /x
# A variable only in the tag leaves the registry known; one that picks a stage is no image.
ARG VARIANT=supported
FROM docker:${ENGINE_VERSION}-dind AS dind
FROM busybox:1.37 AS delve-supported
FROM busybox:1.37 AS delve-unsupported
FROM delve-${VARIANT}
COPY --from=delve-${TARGETOS} /x /x
