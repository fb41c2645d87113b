FROM alpine:3.20 AS Fetch
RUN --mount=type=bind,from=fetch,source=/x,target=/x cp /x /y

FROM alpine:3.20
COPY --from=1 /y /z
