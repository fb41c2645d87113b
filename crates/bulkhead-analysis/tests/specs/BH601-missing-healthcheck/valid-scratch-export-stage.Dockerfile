# An export stage: `docker build --output type=local,dest=out .` copies its files out; it never runs.
FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/tool ./cmd/tool

FROM scratch AS binary
COPY --from=build /out/tool /tool
