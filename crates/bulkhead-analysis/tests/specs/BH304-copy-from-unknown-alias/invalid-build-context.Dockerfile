FROM golang:1.23 AS builder
RUN go build -o /out/app .

FROM alpine:3.20
COPY --from=src /lib /lib
COPY --from=buidler /out/app /app
