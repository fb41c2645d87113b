FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates=20230311 git
RUN pip install --no-cache-dir flask requests==2.32.3
RUN npm install -g pm2 @scope/tool
FROM alpine:3.20
run apk add --no-cache --virtual .deps gcc musl-dev=1.2.5-r0
RUN gem install bundler && go install golang.org/x/tools/gopls@latest
FROM rockylinux:9
ONBUILD RUN dnf install -y nginx-1.20.1 httpd
