FROM nginx:1.27-alpine AS base
ARG HTTP_PORT=80
EXPOSE ${HTTP_PORT}/tcp 8080

FROM base
RUN chown -R nginx /var/cache/nginx
expose 443 1000-1100/udp
USER nginx
