FROM alpine:3.20 AS build
CMD ["make"]
ONBUILD CMD ["echo", "child"]

FROM alpine:3.20
ENTRYPOINT ["/entrypoint.sh"]
CMD ["app"]
HEALTHCHECK CMD ["true"]
