# Only the final image ships: an old build stage is not reported.
FROM golang:1.20 AS build
RUN CGO_ENABLED=0 go build -o /app .

FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
ENTRYPOINT ["/app"]
