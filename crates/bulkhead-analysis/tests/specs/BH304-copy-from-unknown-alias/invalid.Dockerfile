FROM golang:1.23 AS builder
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=biulder /out/app /app
