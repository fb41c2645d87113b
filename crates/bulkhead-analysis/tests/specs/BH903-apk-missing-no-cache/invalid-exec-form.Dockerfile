# Exec form: the JSON strings are the command's words, no shell.
FROM alpine:3.20
RUN ["apk", "add", "curl"]
RUN ["/sbin/apk", "add", "--virtual", ".build-deps", "gcc"]
ONBUILD RUN ["apk","add","jq"]
