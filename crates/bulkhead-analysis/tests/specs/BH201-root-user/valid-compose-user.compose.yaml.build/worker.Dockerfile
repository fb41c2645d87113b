FROM golang:1.22 AS build
RUN go build -o /worker .
FROM debian:bookworm-slim AS runtime
COPY --from=build /worker /worker
USER root
CMD ["/worker"]
FROM runtime AS debug
USER app
