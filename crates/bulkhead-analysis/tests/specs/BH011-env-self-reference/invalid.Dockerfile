FROM alpine:3.20
ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
ENV A=1 \
    B=${A}/x \
    C="$B:y"
  env X=1 X=$X/2
ONBUILD ENV D=/d E=$D/e
