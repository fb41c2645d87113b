FROM golang:1.22 AS build
RUN go build -o /out/app .

FROM node:20-bookworm AS base
WORKDIR /srv

FROM base
COPY --from=build /out/app /usr/local/bin/app
CMD ["app"]
