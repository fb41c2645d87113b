# Alpine 3.20 ended on 2026-04-01; the alpine tag of a language image names it.
FROM golang:1.26-alpine3.20
CMD ["go", "version"]
