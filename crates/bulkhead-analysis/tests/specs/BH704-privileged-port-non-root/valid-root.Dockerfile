# A root image may bind any port: whether it should run as root is BH201's business.
FROM nginx:1.27-alpine
EXPOSE 80 443
USER root
