# Mounts without `from`, or from an earlier stage, read nothing of the current stage.
FROM alpine:3.20 AS prep
RUN touch /x

FROM alpine:3.20 AS main
COPY --from=prep /x /x
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=prep,target=/p ls /p
