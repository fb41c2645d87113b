FROM nginx:1.27-alpine AS build
USER nginx
EXPOSE 80

FROM nginxinc/nginx-unprivileged:1.27-alpine
EXPOSE 8080 1024 65535/udp
USER 101
