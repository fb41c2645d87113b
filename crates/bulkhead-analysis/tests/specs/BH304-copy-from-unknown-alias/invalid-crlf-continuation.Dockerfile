FROM golang:1.23 AS builder
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
  COPY --chown=65532 \
       --from=biulder /out/app /app
