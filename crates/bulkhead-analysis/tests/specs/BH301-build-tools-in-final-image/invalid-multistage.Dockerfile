FROM golang:1.22-alpine AS build
RUN apk add --no-cache gcc musl-dev && go build -o /out/app .

FROM alpine:3.20 AS base
RUN apk add --no-cache git make ca-certificates

FROM base
COPY --from=build /out/app /usr/local/bin/app
