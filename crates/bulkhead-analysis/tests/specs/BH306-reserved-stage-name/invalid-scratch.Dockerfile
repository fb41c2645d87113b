FROM busybox:1.36 AS Scratch
RUN mkdir /data

FROM scratch
COPY --from=scratch /data /data
RUN --mount=type=bind,from=Scratch,target=/s true
