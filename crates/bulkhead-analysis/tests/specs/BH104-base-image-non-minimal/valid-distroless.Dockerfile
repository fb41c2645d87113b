FROM golang:1.22 AS build
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/app /app
