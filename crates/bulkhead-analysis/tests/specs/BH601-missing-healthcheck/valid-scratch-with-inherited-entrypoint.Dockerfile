# The scratch stage gets an ENTRYPOINT in the stage built FROM it: that image runs, as user 0.
FROM golang:1.23-alpine AS build
COPY . /src
RUN cd /src && go build -o /out/tool .

FROM scratch AS files
COPY --from=build /out/tool /tool

FROM files
ENTRYPOINT ["/tool"]
