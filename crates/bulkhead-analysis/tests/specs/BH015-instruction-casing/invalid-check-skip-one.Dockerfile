# syntax=docker/dockerfile:1
# check=skip=FromAsCasing
# Skipping BuildKit's FromAsCasing silences the `as` finding only: the keyword and the stage name
# are BuildKit's ConsistentInstructionCasing and StageNameCasing, still reported.
FROM alpine:3.20 as Build
run apk add --no-cache make
COPY --from=Build /usr/bin/make /usr/local/bin/
