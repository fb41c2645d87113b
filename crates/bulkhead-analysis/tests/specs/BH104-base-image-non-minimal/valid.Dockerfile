FROM golang:1.22 AS build
RUN go build -o /out/app .

FROM python:3.12-slim
COPY --from=build /out/app /usr/local/bin/app
