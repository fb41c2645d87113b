# check=skip=ConsistentInstructionCasing,FromAsCasing,StageNameCasing;error=true
FROM alpine:3.20 as Build
run apk add --no-cache make
COPY --from=Build /usr/bin/make /usr/local/bin/
