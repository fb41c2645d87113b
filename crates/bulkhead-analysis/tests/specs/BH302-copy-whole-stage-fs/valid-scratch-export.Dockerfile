# An export stage built FROM scratch holds only the artifacts copied into it.
FROM golang:1.23 AS build
RUN go build -o /out/app .

FROM scratch AS artifacts
COPY --from=build /out/app /bin/app

FROM artifacts AS more
COPY --from=build /out/app /bin/app2

FROM gcr.io/distroless/static-debian12
COPY --from=more / /
ENTRYPOINT ["/bin/app"]
